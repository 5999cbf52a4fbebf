package isms

// AnnualWheelService serves the annual wheel (guide 2.2 and 2.9): recurring activities, occurrences, the approved year plan, reminders.
type AnnualWheelService interface {
}
