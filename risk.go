package isms

// RiskService serves risk management (guide 2.3): assets, threats, scales, assessments, treatment, acceptance.
type RiskService interface {
}
