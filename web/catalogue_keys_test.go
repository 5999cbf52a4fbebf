package web_test

import (
	"slices"
	"strconv"

	"github.com/ismsdk/isms"
	"github.com/ismsdk/isms/catalog"
	"github.com/ismsdk/isms/sqlstore"
)

// each lists the values of a domain enumeration for a key format.
func each[T ~string](vs []T) []any {
	out := make([]any, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// words lists values that no domain enumeration holds; the code or the
// template that builds the key names them, and they are copied here.
func words(vs ...string) []any { return each(vs) }

// keyFormats lists, for every way the code and the templates build a key
// at run time, the values it is built from: from the domain's own
// enumerations where there is one, so a new value cannot ship without its
// message. The scan fails on a format missing here.
func keyFormats() map[string][]any {
	var months, levels, questions, reqs, cases, caseParts []any
	for m := 1; m <= 12; m++ {
		months = append(months, strconv.Itoa(m))
	}
	for l := 0; l <= int(isms.MaxLevel); l++ {
		levels = append(levels, l)
	}
	for _, q := range catalog.Checklist {
		if sqlstore.HasRule(q.ID) { // only a question the records answer has a rule to state
			questions = append(questions, q.ID)
		}
	}
	for _, r := range catalog.DocumentationRequirements() {
		reqs = append(reqs, r.Key)
	}
	for _, c := range isms.CommunicationCases {
		cases = append(cases, c.Key)
	}
	var tplKeys, units []any
	for _, t := range isms.IndicatorTemplates {
		tplKeys = append(tplKeys, t.Key)
		if t.Unit != "%" && !slices.Contains(units, any(t.Unit)) {
			units = append(units, t.Unit)
		}
	}
	kinds := each(isms.EntryKinds)
	assetKinds := append(each(isms.PrimaryAssetKinds), each(isms.SupportingAssetKinds)...)
	roles := each(isms.Roles)
	soaProblems := words(isms.SoAProblemUndecided, isms.SoAProblemUnjustified, isms.SoAProblemBusinessOnly, isms.SoAProblemNoExclusionReason, isms.SoAProblemExcludedWithRisks)
	f := map[string][]any{
		// The audit trail names the action and the record type each write
		// recorded; the store's writes name them, with no enumeration to
		// list here. audit.html shows an unknown one as its key.
		"action.%s":            nil,
		"imp.kind.%s":          each(isms.MappedImportKinds),
		"record.%s":            nil,
		"answer.%s":            each(isms.AnswerStatuses),
		"category.%s":          each(isms.FactorCategories),
		"cia.%s":               words("c", "i", "a"),
		"awareness.channel.%s": each(isms.AwarenessChannels),
		"sup.crit.%s":          each(isms.SupplierCriticalities),
		"sup.status.%s":        each(isms.SupplierStatuses),
		"sup.agreement.%s":     each(isms.AgreementKinds),
		"sup.method.%s":        each(isms.SupervisionMethods),
		"pub.answer.%s":        each(isms.QuestionnaireAnswers),
		"pub.qn_status.%s":     each(isms.QuestionnaireStatuses),
		"sup.result.%s":        each(isms.SupervisionResults),
		"sup.frequency.%d":     {1, 2},
		"sup.entry.%s":         words("system", "information", "process"),
		"awareness.status.%s":  each(isms.AwarenessStatuses),
		"awareness.target.%s":  each(isms.AwarenessTargets),
		"awareness.theme.%s":   each(isms.AwarenessThemes),
		"comm.case.%s":         cases,
		"comm.case.%s.help":    cases,
		"comm.channel.%s":      words("digital_post", "email", "intranet", "meeting", "phone", "press", "report", "website"),
		"comm.dir.%s":          each(isms.Directions),
		"comm.direction.%s":    each(isms.Directions),
		"comm.sensitivity.%s":  each(isms.Sensitivities),
		"comm.timing.%s":       each(isms.Timings),
		"obj.status.%s":        each(isms.ObjectiveStatuses),
		"meas.tpl.%s.title":    tplKeys,
		"meas.tpl.%s.def":      tplKeys,
		"meas.comp.%s":         words(isms.Computations...),
		"meas.unit.%s":         units,
		"meas.level.%s":        words(string(isms.LevelOK), string(isms.LevelWarning), string(isms.LevelBreach)),
		"meas.source.%s":       words(string(isms.SourceHand), string(isms.SourceComputed)),
		"meas.trend.%s":        words("better", "worse", "same"),
		// Management review (clause 9.3).
		"mrev.trend.%s":             words("better", "worse", "same"),
		"mrev.change.%s":            words("create", "update", "delete"),
		"mrev.followup.%s":          each(isms.FollowUps),
		"mrev.status.%s":            each(isms.ReviewStatuses),
		"mrev.input.%s":             each(isms.ReviewInputs),
		"reason.mrev_missing.%s":    each(isms.ReviewInputs),
		"mrev.kind.%s":              each(isms.ReviewDecisionKinds),
		"meas.evaluates.%s":         each(isms.IndicatorEvaluatesKinds),
		"meas.direction.%s":         each(isms.IndicatorDirections),
		"meas.frequency.%s":         each(isms.IndicatorFrequencies),
		"aud.independence.%s":       each(isms.AuditIndependences),
		"aud.status.%s":             words(string(isms.AuditPlanned), string(isms.AuditHeld), string(isms.AuditApproved)),
		"aud.kind.%s":               words("clause", "control"),
		"aud.check.%s":              words(string(isms.CheckConform), string(isms.CheckFinding)),
		"aud.type.%s":               each(isms.FindingTypes),
		"nc.status.%s":              each(isms.NCStatuses),
		"nc.status.%s.help":         each(isms.NCStatuses),
		"nc.source.%s":              each(isms.NCSources),
		"nc.req.%s":                 each(isms.NCRequirementKinds),
		"nc.method.%s":              each(isms.NCMethods),
		"nc.yn.%s":                  words("yes", "no"),
		"nc.why.%d":                 {1, 2, 3, 4, 5},
		"imp.area.%s":               each(isms.ImprovementAreas),
		"imp.status.%s":             each(isms.ImprovementStatuses),
		"inc.status.%s":             each(isms.IncidentStatuses),
		"incl.effect.%s":            each(isms.ControlEffects),
		"inc.category.%s":           each(isms.IncidentCategories),
		"inc.clock.%s":              words("due", "overdue", "met", "late"),
		"inc.severity.%d":           []any{1, 2, 3, 4},
		"inc.regime.%s":             words(isms.RegimeNIS2, isms.RegimeGDPR),
		"inc.decision.%s":           words("incident", "not_incident"),
		"inc.settings.%s":           words("yes", "no"),
		"inc.kind.%s.%s":            incidentReportKinds(),
		"inc.due.%s.%s":             incidentReportKinds(),
		"res.kind.%s":               each(isms.ResourceKinds),
		"res.link.%s":               words(isms.LinkControl, isms.LinkActivity, isms.LinkTask),
		"sr.overdue.%s":             words(isms.OverdueKinds...),
		"doc.action.%s":             words("approve", "publish", "send_back", "submit", "withdraw"),
		"doc.class.%s":              each(isms.Classifications),
		"doc.closed.%s":             words(string(isms.VersionReturned), string(isms.VersionSuperseded), string(isms.VersionWithdrawn)),
		"awp.sheet.%s":              each(isms.ParticipationSheetFields),
		"awp.sheet.%s.help":         each(isms.ParticipationSheetFields),
		"awp.row.%s":                each([]isms.ParticipationRowStatus{isms.RowNew, isms.RowExisting, isms.RowProblem}),
		"awp.settings.ack_%s":       words("yes", "no"),
		"competence.gap.%s":         each([]isms.GapStatus{isms.GapMet, isms.GapExpiring, isms.GapExpired, isms.GapBelowLevel, isms.GapMissing}),
		"competence.kind.%s":        each(isms.CompetenceKinds),
		"competence.level.%s":       each(isms.CompetenceLevels),
		"doc.decision.%s":           words("chosen", "declined", "undecided"),
		"doc.decision_by.%s":        words("approve", "send_back"),
		"doc.formrule.%s":           words("format", "formats", "media", "metadata", "naming"),
		"doc.kind.%s":               each(isms.DocumentKinds),
		"doc.medium.%s":             each(isms.DocumentMedia),
		"doc.meta.%s":               each(isms.DocumentMetadataFields),
		"doc.req.%s":                reqs,
		"doc.req_kind.%s":           words("mandatory", "optional"),
		"doc.state.%s":              each(isms.VersionStates),
		"evidence.%s":               nil, // checklist.go asks i18n.Has first and falls back to kind.%s
		"field.%s":                  nil, // a form's field names; each field.x the code names is a literal the scan checks
		"invitation.state.%s":       each(isms.InvitationStates),
		"invite.state.%s":           each(isms.InvitationStates),
		"kind.%s":                   kinds,
		"kind.%s.help":              kinds,
		"lead.activity.%s":          each(isms.ActivityTemplates),
		"lead.activity.%s.desc":     each(isms.ActivityTemplates),
		"lead.follow_up.%s":         each(isms.FollowUps),
		"lead.meeting.%s":           each(isms.MeetingStatuses),
		"lead.raci.%s":              each(isms.RACIValues),
		"lead.role.%s":              each(isms.RoleTemplates),
		"lead.role.%s.desc":         each(isms.RoleTemplates),
		"lead.topic.%s.help":        each(isms.ManagementTopics),
		"level.%d":                  levels,
		"phase.%s":                  words("plan", "do", "check", "act"),
		"phase.%s.intro":            words("plan", "do", "check", "act"),
		"risk.assessment_status.%s": words("in_progress", "completed"),
		"risk.asset_assessment.%s":  words("ad_hoc", "current", "due", "in_progress", "none"),
		"risk.asset_kind.%s":        assetKinds,
		"risk.heatmap.%s":           words("inherent", "residual"),
		"risk.sheet.%s":             each(isms.RiskSheetFields),
		"risk.sheet.%s.help":        each(isms.RiskSheetFields),
		"risk.task_status.%s":       each(isms.TaskStatuses),
		"risk.theme.%s":             each(isms.ControlThemes),
		"risk.threat_group.%s":      each(isms.ThreatGroups),
		"risk.treatment.%s":         append(each(isms.Treatments), "none"),
		"role.%s":                   roles,
		"role.%s.desc":              roles,
		"rule.%s":                   questions,
		"soa.applicability.%s":      words("applicable", "excluded", "undecided"),
		"soa.change.%s":             words("added", "changed", "removed"),
		"soa.doc_%s":                words("chosen", "declined", "undecided"),
		"soa.flag.%s":               words("conflict", "new", "required"),
		"soa.flag.%s.help":          words("conflict", "new", "required"),
		"soa.problem.%s":            append(soaProblems, "unjustified_any"), // and the register's filter for either kind of unjustified
		"soa.problem.%s.help":       soaProblems,
		"soa.status.%s":             each(isms.ImplementationStatuses),
		"soa.theme.%s":              each(isms.ControlThemes),
		"soa.value.%s":              append(words("applicable", "excluded"), each(isms.ImplementationStatuses)...),
		"source.%s":                 words(isms.SourceRecords, isms.SourceManual),
		"status.%s":                 each(isms.EntryStatuses),
		"topic.%s":                  each(isms.ManagementTopics),
		"wheel.activity_status.%s":  each(isms.ActivityStatuses),
		"wheel.clause.%s":           each(isms.StandardClauses),
		"wheel.guide.%s":            each(isms.GuideSections),
		"wheel.legend.%s":           words("planned", "in_progress", "done", "skipped", "overdue", "elsewhere", "elsewhere_done"),
		"wheel.mail.%s":             words("pending", "sent", "failed"),
		"wheel.month.%s":            months,
		"wheel.month_short.%s":      months,
		"wheel.plan_status.%s":      words("submitted", "approved", "superseded"),
		"wheel.progress.%s":         words("planned_total", "planned", "done", "skipped", "overdue", "removed"),
		"wheel.recur.%s":            each(isms.Recurrences),
		"wheel.reminder.%s":         words("due", "overdue", "digest"),
		"wheel.status.%s":           append(each(isms.OccurrenceStatuses), "open", "overdue"),
	}
	// Notifications (notification.go): the kinds of assigned item, the
	// events, the mail digests and an escalated clock's state.
	f["notif.source.%s"] = each(sqlstore.NotificationSources())
	f["notif.event.%s"] = each(isms.NotificationEvents)
	f["notif.msg_subject.%s"] = each(isms.NotificationEvents)
	f["notif.digest.%s"] = each(isms.NotificationDigests)
	f["notif.msg_digest_subject.%s"] = each(isms.NotificationDigests)
	f["notif.clock_state.%s"] = words("soon", "overdue")
	// A typical case's draft entry: one message for each part of it.
	for _, c := range cases {
		for _, p := range []string{"key_points", "trigger", "response_time", "audience", "channel"} {
			caseParts = append(caseParts, []any{c, p})
		}
	}
	f["comm.case.%s.%s"] = caseParts
	// The imports of the supplier list and the incident log.
	for k, v := range rimpKeyFormats() {
		f[k] = v
	}
	return f
}

// translatedValues are the places in the templates that translate a key
// the Go code chose (a navigation item's key, a page's title key, a
// dashboard item's kind); the Go scan checks those keys where the code
// names them as literals.
var translatedValues = map[string]bool{
	"layout.html .Title":       true,
	"layout.html .Key":         true,
	"import_hub.html .Key":     true, // importHubRegisters' literal title keys
	"leadership_matrix.html .": true,
	"dashboard.html .Kind":     true,
	"wheel.html .Kind":         true, // the kinds of ScheduledItem, as the dashboard's
	// The measures of resource amounts and totals: literals "res.m.…" in
	// resources.go and web/resources.go.
	"resource_list.html .Key": true,
	"resource.html .Key":      true,
	"status_report.html .Key": true,
	"objective.html .Key":     true,
}

// incidentReportKinds are the reports each regime asks for, as pairs.
func incidentReportKinds() []any {
	var out []any
	for regime, kinds := range isms.IncidentReportKinds {
		for _, k := range kinds {
			out = append(out, []any{regime, k})
		}
	}
	return out
}
