package isms

// CommunicationService serves the communication plan (guide 2.7).
type CommunicationService interface {
}
