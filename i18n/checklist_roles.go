package i18n

// Checklist question 2.4 answered from the roles kept as data.
func init() {
	add(map[Key][2]string{
		"reason.roles_list_approved":   {"Rollerne, deres indehavere og ansvarsmatricen er godkendt af %s den %s.", "The roles, their holders and the responsibility matrix were approved by %s on %s."},
		"reason.roles_list_unapproved": {"Rollerne og ansvarsmatricen er registreret, men den gældende version er ikke godkendt af ledelsen.", "The roles and the responsibility matrix are recorded, but the current version is not approved by management."},
		"evidence.roles_list":          {"Roller og ansvar", "Roles and responsibilities"},
	})
}
