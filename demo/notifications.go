package demo

// Notifications: the job looks once before any record exists, so that it
// knows nobody has anything yet, and once after every element is filled,
// so that each person's inbox holds what was assigned to them by others,
// what falls due within the week and what is overdue, as on a real
// installation where the job runs every few minutes. The demo sends no
// mail: they are for the inbox only.
func init() {
	addStep(50, "notifications: the first look", fillNotificationBaseline)
	addStep(990, "notifications", fillNotifications)
}

func fillNotificationBaseline(d *Demo) error {
	_, err := d.DB.GenerateNotifications(d.ctx, false)
	return err
}

func fillNotifications(d *Demo) error {
	_, err := d.DB.GenerateNotifications(d.ctx, false)
	return err
}
