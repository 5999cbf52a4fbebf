package isms

// LeadershipService serves leadership (guide 2.2): security roles and who holds them, the responsibility matrix, the security committee.
type LeadershipService interface {
}
