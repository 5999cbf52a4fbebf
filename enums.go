package isms

// Enumerations: the string types whose values are a fixed set (statuses,
// kinds, outcomes, levels). Each says its values through EnumValues, from
// the same list its Valid method checks against (or, for a status only the
// product sets, from its constants), so the API document (web/openapi.go
// finds every Enum by reflection and writes its values as the schema's
// enum) and the validation cannot drift apart. enums_test.go holds every
// string type of this package with a Valid method or constants to having
// one, and web/openapi_enums_test.go holds each list to its Valid method
// and its constants.

// Enum is a string type with a fixed set of values.
type Enum interface {
	// EnumValues lists every value the type takes, in the order the UI
	// offers them; "" is among them where it is a value of its own (not
	// decided, not checked).
	EnumValues() []string
}

// StringEnums are the enumerations whose fields are plain strings, by the
// name a field's tag gives them: `enum:"Computation"`. The tag's option
// "empty" (`enum:"Computation,empty"`, or `enum:",empty"` on a field of an
// Enum type) says the field may also be "": not computed, not answered,
// not done yet. The API document names the schema after the tag.
var StringEnums = map[string][]string{
	"Computation":    Computations,
	"DocumentMedium": DocumentMedia,
	"FactorCategory": FactorCategories,
	"MetadataField":  DocumentMetadataFields,
}

// enumValues is a list of typed values as strings.
func enumValues[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

func (AwarenessChannel) EnumValues() []string { return enumValues(AwarenessChannels) }
func (AwarenessTarget) EnumValues() []string  { return enumValues(AwarenessTargets) }
func (AwarenessStatus) EnumValues() []string  { return enumValues(AwarenessStatuses) }
func (ParticipationRowStatus) EnumValues() []string {
	return enumValues([]ParticipationRowStatus{RowNew, RowExisting, RowProblem})
}
func (AnswerStatus) EnumValues() []string    { return enumValues(AnswerStatuses) }
func (Direction) EnumValues() []string       { return enumValues(Directions) }
func (Sensitivity) EnumValues() []string     { return enumValues(Sensitivities) }
func (Timing) EnumValues() []string          { return enumValues(Timings) }
func (CompetenceKind) EnumValues() []string  { return enumValues(CompetenceKinds) }
func (CompetenceLevel) EnumValues() []string { return enumValues(CompetenceLevels) }
func (GapStatus) EnumValues() []string {
	return enumValues([]GapStatus{GapMet, GapExpiring, GapExpired, GapBelowLevel, GapMissing})
}
func (DocumentKind) EnumValues() []string { return enumValues(DocumentKinds) }
func (Classification) EnumValues() []string {
	return enumValues(append([]Classification{ClassUnset}, Classifications...))
}
func (VersionState) EnumValues() []string      { return enumValues(VersionStates) }
func (ImprovementArea) EnumValues() []string   { return enumValues(ImprovementAreas) }
func (ImprovementStatus) EnumValues() []string { return enumValues(ImprovementStatuses) }
func (IncidentStatus) EnumValues() []string    { return enumValues(IncidentStatuses) }
func (IncidentCategory) EnumValues() []string  { return enumValues(IncidentCategories) }
func (ClockState) EnumValues() []string {
	return enumValues([]ClockState{ClockDue, ClockOverdue, ClockMet, ClockLate})
}
func (ControlEffect) EnumValues() []string     { return enumValues(ControlEffects) }
func (AuditIndependence) EnumValues() []string { return enumValues(AuditIndependences) }
func (FindingType) EnumValues() []string       { return enumValues(FindingTypes) }
func (AuditStatus) EnumValues() []string {
	return enumValues([]AuditStatus{AuditPlanned, AuditHeld, AuditApproved})
}
func (CheckResult) EnumValues() []string {
	return enumValues([]CheckResult{CheckNotChecked, CheckConform, CheckFinding})
}
func (InvitationState) EnumValues() []string    { return enumValues(InvitationStates) }
func (RACI) EnumValues() []string               { return enumValues(RACIValues) }
func (MeetingStatus) EnumValues() []string      { return enumValues(MeetingStatuses) }
func (FollowUp) EnumValues() []string           { return enumValues(FollowUps) }
func (ReviewStatus) EnumValues() []string       { return enumValues(ReviewStatuses) }
func (ReviewDecisionKind) EnumValues() []string { return enumValues(ReviewDecisionKinds) }
func (IndicatorDirection) EnumValues() []string { return enumValues(IndicatorDirections) }
func (IndicatorFrequency) EnumValues() []string { return enumValues(IndicatorFrequencies) }
func (IndicatorSource) EnumValues() []string {
	return enumValues([]IndicatorSource{SourceHand, SourceComputed})
}
func (IndicatorEvaluates) EnumValues() []string { return enumValues(IndicatorEvaluatesKinds) }
func (IndicatorLevel) EnumValues() []string {
	return enumValues([]IndicatorLevel{LevelOK, LevelWarning, LevelBreach})
}
func (NCSource) EnumValues() []string          { return enumValues(NCSources) }
func (NCRequirementKind) EnumValues() []string { return enumValues(NCRequirementKinds) }
func (NCMethod) EnumValues() []string {
	return enumValues(append([]NCMethod{NCMethodNone}, NCMethods...))
}
func (NCStatus) EnumValues() []string           { return enumValues(NCStatuses) }
func (NotificationEvent) EnumValues() []string  { return enumValues(NotificationEvents) }
func (NotificationDigest) EnumValues() []string { return enumValues(NotificationDigests) }
func (NotificationMailKind) EnumValues() []string {
	return enumValues([]NotificationMailKind{NotificationMailSingle, NotificationMailDigest})
}
func (ObjectiveStatus) EnumValues() []string { return enumValues(ObjectiveStatuses) }
func (EntryKind) EnumValues() []string       { return enumValues(EntryKinds) }
func (EntryStatus) EnumValues() []string     { return enumValues(EntryStatuses) }
func (ImportOutcome) EnumValues() []string {
	return enumValues([]ImportOutcome{OutcomeCreated, OutcomeUpdated, OutcomeSkipped, OutcomeRefused})
}
func (ResourceKind) EnumValues() []string { return enumValues(ResourceKinds) }
func (AssetKind) EnumValues() []string    { return enumValues(AssetKinds) }
func (AssetAssessment) EnumValues() []string {
	return enumValues([]AssetAssessment{AssetUnassessed, AssetInProgress, AssetCurrent, AssetReassessDue, AssetReassessAdHoc})
}
func (AssessmentStatus) EnumValues() []string {
	return enumValues([]AssessmentStatus{AssessmentInProgress, AssessmentCompleted})
}
func (Treatment) EnumValues() []string {
	return enumValues(append([]Treatment{TreatmentNone}, Treatments...))
}
func (TaskStatus) EnumValues() []string { return enumValues(TaskStatuses) }
func (Role) EnumValues() []string       { return enumValues(Roles) }
func (Permission) EnumValues() []string {
	return enumValues([]Permission{PermView, PermEdit, PermEditOwn, PermApprove, PermManageMembers, PermAnswer, PermAudit})
}
func (Applicability) EnumValues() []string {
	return enumValues([]Applicability{Undecided, Applicable, Excluded})
}
func (ImplementationStatus) EnumValues() []string { return enumValues(ImplementationStatuses) }
func (QuestionnaireAnswer) EnumValues() []string  { return enumValues(QuestionnaireAnswers) }
func (QuestionnaireStatus) EnumValues() []string  { return enumValues(QuestionnaireStatuses) }
func (SupplierCriticality) EnumValues() []string  { return enumValues(SupplierCriticalities) }
func (SupplierStatus) EnumValues() []string       { return enumValues(SupplierStatuses) }
func (AgreementKind) EnumValues() []string        { return enumValues(AgreementKinds) }
func (SupervisionMethod) EnumValues() []string    { return enumValues(SupervisionMethods) }
func (SupervisionResult) EnumValues() []string    { return enumValues(SupervisionResults) }
func (Recurrence) EnumValues() []string           { return enumValues(Recurrences) }
func (ActivityStatus) EnumValues() []string       { return enumValues(ActivityStatuses) }
func (OccurrenceStatus) EnumValues() []string     { return enumValues(OccurrenceStatuses) }
