package web

// The business overview's API (guide 2.1) passes through to the service;
// its operations are listed in routes.go.

var entryQuery = []apiParam{{"kind", "string", "process, information, system, competence, internal_stakeholder, external_factor, external_stakeholder"},
	{"status", "string", "draft, active, retired"}, {"owner", "integer", "owner's user id"}, {"q", "string", "text in name or description"},
	{"overdue", "boolean", "only entries past their review date"}, {"sort", "string", "name, kind, status, owner, next_review; prefix - for descending"},
	{"offset", "integer", ""}, {"limit", "integer", "at most 500"}}
