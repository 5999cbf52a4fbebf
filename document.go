package isms

// DocumentService serves controlled documentation (guide 2.8): the register of documented information, documents, versions, approval, form rules, retention and deletion.
type DocumentService interface {
}
