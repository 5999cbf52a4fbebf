package i18n

// Running the product as a service: what the error pages say so that a
// user's report can be found in the server's log.
func init() {
	add(map[Key][2]string{
		"ui.error_id":      {"Fejl-id: %s", "Error id: %s"},
		"ui.error_id_hint": {"Oplys fejl-id'et, hvis du kontakter din administrator om fejlen.", "Give the error id when you contact your administrator about the error."},
	})
}
