package sqlstore

import (
	"database/sql"
	"regexp"
	"slices"
	"strings"
	"unicode"
)

// The person resolver every import shares. A spreadsheet names a person
// the way its author knows them: a login e-mail, a full name (often
// "Efternavn, Fornavn", in any case, with or without the accents), or the
// title of the security role the person holds ("IT-chef",
// "Informationssikkerhedskoordinator"). The resolver reads the
// organisation's members and its role register (guide 2.2) once per
// import and finds the one member a cell means; a cell that could mean
// several people finds no one, with the reason, so the import never
// guesses an owner.

// importPeople are an organisation's members as an import looks them up.
type importPeople struct {
	byEmail map[string]int64
	byName  map[string][]int64 // by importNameKey of the full name
	byWords map[string][]int64 // by the name's words sorted, for "Hansen Mette"
	byRole  map[string][]int64 // by importNameKey of a role's title → its holders
	roles   map[string]string  // importNameKey → the role's title as written
	names   map[int64]string
	emails  map[int64]string
}

// Why a cell finds no one: the catalogue keys of the reasons, each taking
// the cell as written.
const (
	peopleUnknown       = "imp.err.person_unknown"        // no member by that e-mail, name or role
	peopleAmbiguous     = "imp.err.person_ambiguous"      // several members have that name
	peopleRoleEmpty     = "imp.err.person_role_empty"     // a role no one holds
	peopleRoleAmbiguous = "imp.err.person_role_ambiguous" // a role held by several
)

// importPeople reads the organisation's members and the holders of its
// security roles.
func (tx *Tx) importPeople(orgID int64) (*importPeople, error) {
	p := &importPeople{byEmail: map[string]int64{}, byName: map[string][]int64{}, byWords: map[string][]int64{},
		byRole: map[string][]int64{}, roles: map[string]string{}, names: map[int64]string{}, emails: map[int64]string{}}
	err := tx.queryEach("SELECT u.id, u.email, u.name FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organisation_id = ? ORDER BY u.id",
		[]any{orgID}, func(row scanner) error {
			var id int64
			var email, name string
			if err := row.Scan(&id, &email, &name); err != nil {
				return err
			}
			p.byEmail[strings.ToLower(strings.TrimSpace(email))] = id
			p.names[id], p.emails[id] = name, email
			if k := importNameKey(name); k != "" {
				p.byName[k] = append(p.byName[k], id)
				w := importWordsKey(k)
				if !slices.Contains(p.byWords[w], id) {
					p.byWords[w] = append(p.byWords[w], id)
				}
			}
			return nil
		})
	if err != nil {
		return nil, err
	}
	// A role's holders (not its deputies) who are members: the person a
	// register means by the title.
	err = tx.queryEach(`SELECT r.name, p.user_id FROM security_roles r
		LEFT JOIN security_role_people p ON p.role_id = r.id AND p.organisation_id = r.organisation_id AND p.deputy = 0
		WHERE r.organisation_id = ? ORDER BY r.id, p.user_id`, []any{orgID}, func(row scanner) error {
		var title string
		var holder sql.NullInt64
		if err := row.Scan(&title, &holder); err != nil {
			return err
		}
		k := importNameKey(title)
		if k == "" {
			return nil
		}
		p.roles[k] = title
		if _, ok := p.byRole[k]; !ok {
			p.byRole[k] = nil
		}
		if id := holder.Int64; holder.Valid {
			if _, member := p.names[id]; member && !slices.Contains(p.byRole[k], id) {
				p.byRole[k] = append(p.byRole[k], id)
			}
		}
		return nil
	})
	return p, err
}

// importEmailIn finds an address inside a cell such as
// "Mette Hansen <mette@kommune.dk>".
var importEmailIn = regexp.MustCompile(`[^\s<>()\[\];,]+@[^\s<>()\[\];,]+`)

// find reads a cell naming a person and returns the member and how to
// show them ("Mette Hansen (via IT-chef)"); ok is false when the cell
// names no one member, and why says the reason.
func (p *importPeople) find(cell string) (userID int64, display string, ok bool) {
	id, display, why := p.resolve(cell)
	return id, display, why == ""
}

// why is the catalogue key of the reason a cell finds no one member, ""
// when it finds one.
func (p *importPeople) why(cell string) string {
	_, _, why := p.resolve(cell)
	return why
}

func (p *importPeople) resolve(cell string) (int64, string, string) {
	cell = strings.TrimSpace(cell)
	if cell == "" {
		return 0, "", peopleUnknown
	}
	if id, ok := p.byEmail[strings.ToLower(cell)]; ok {
		return id, p.names[id], ""
	}
	if m := importEmailIn.FindString(cell); m != "" {
		if id, ok := p.byEmail[strings.ToLower(strings.Trim(m, ".'\""))]; ok {
			return id, p.names[id], ""
		}
	}
	one := func(ids []int64, via string) (int64, string, string) {
		d := p.names[ids[0]]
		if via != "" {
			d += " (" + via + ")"
		}
		return ids[0], d, ""
	}
	k := importNameKey(cell)
	// "Hansen, Mette" is how many registers list people.
	if last, first, ok := strings.Cut(cell, ","); ok && !strings.Contains(first, ",") {
		if ids := p.byName[importNameKey(first+" "+last)]; len(ids) == 1 {
			return one(ids, "")
		} else if len(ids) > 1 {
			return 0, "", peopleAmbiguous
		}
	}
	switch ids := p.byName[k]; len(ids) {
	case 1:
		return one(ids, "")
	case 0:
	default:
		return 0, "", peopleAmbiguous
	}
	if holders, ok := p.byRole[k]; ok {
		switch len(holders) {
		case 0:
			return 0, "", peopleRoleEmpty
		case 1:
			return one(holders, p.roles[k])
		}
		return 0, "", peopleRoleAmbiguous
	}
	switch ids := p.byWords[importWordsKey(k)]; len(ids) {
	case 0:
	case 1:
		return one(ids, "")
	default:
		return 0, "", peopleAmbiguous
	}
	return 0, "", peopleUnknown
}

// importFold is how letters with accents and the Danish letters are
// compared: "Søren Ærø Ålund" and "Soren Aero Alund" are the same name,
// as are "José" and "Jose".
var importFold = map[rune]string{
	'æ': "ae", 'ø': "o", 'å': "a", 'ä': "a", 'ö': "o", 'ü': "u", 'ß': "ss",
	'á': "a", 'à': "a", 'â': "a", 'ã': "a", 'é': "e", 'è': "e", 'ê': "e", 'ë': "e",
	'í': "i", 'ì': "i", 'î': "i", 'ï': "i", 'ó': "o", 'ò': "o", 'ô': "o", 'õ': "o",
	'ú': "u", 'ù': "u", 'û': "u", 'ý': "y", 'ÿ': "y", 'ñ': "n", 'ç': "c", 'č': "c", 'š': "s", 'ž': "z", 'ł': "l",
}

// importNameKey is a name or title as compared: lower case, accents and
// Danish letters folded, words separated by one space, punctuation other
// than within a word dropped ("IT-chef" and "it chef" are one title).
func importNameKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(s) {
		switch {
		case importFold[r] != "":
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteString(importFold[r])
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		default:
			space = true
		}
	}
	return b.String()
}

// importWordsKey is a name's words in order, so "Hansen Mette" finds
// "Mette Hansen".
func importWordsKey(key string) string {
	w := strings.Fields(key)
	slices.Sort(w)
	return strings.Join(w, " ")
}
