package isms

// SoAService serves the Statement of Applicability (guide 2.3 and 2.8) over ISO/IEC 27001:2022 Annex A.
type SoAService interface {
}
