package web

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// readJSONVersion reads the JSON body of a new version (versionUpload)
// without holding the file: content_base64 is decoded as it is read,
// straight into a temporary file (isms.SpoolUpload), so a 50 MiB file
// costs a few kilobytes of memory instead of its base64 text, the decoded
// bytes and the copies between.
//
// It accepts and refuses what decodeJSON into versionUpload followed by
// base64 decoding did (a differential fuzz test holds it to that): keys
// match a field exactly or without regard to case, unknown keys are
// refused, null leaves a field empty, a syntax error anywhere wins over a
// wrong type or an unknown key, which win over bad base64. One difference:
// content_base64 given twice is refused rather than the last one kept. Text
// holding a NUL character is refused, as decodeJSON refuses it.
// Strings other than the content are kept up to isms.MaxVersionText+1
// bytes, which is past every limit the store applies to them, so the store
// still names a string that is too long.
func readJSONVersion(body io.Reader, limit int64) (isms.VersionInput, error) {
	p := &jsonVersionParser{r: bufio.NewReaderSize(body, 32<<10), limit: limit, nul: map[string]bool{}}
	in, err := p.parse()
	if err != nil {
		in.File.Close()
		return isms.VersionInput{}, err
	}
	return in, nil
}

// jsonStringMax is how much of a string other than the content is kept.
const jsonStringMax = isms.MaxVersionText + 1

type jsonVersionParser struct {
	r     *bufio.Reader
	off   int64 // bytes consumed, for messages
	limit int64
	// The first error that is not a syntax error (a wrong type, an unknown
	// key), and the content's own problem; reported once the whole body
	// has proved to be valid JSON.
	semantic error
	content  error
	// nul holds the fields whose (last) value holds a NUL character,
	// refused as decodeJSON refuses them (see text.go).
	nul map[string]bool
}

// errJSONSyntax marks an error in the JSON's syntax.
type errJSONSyntax struct{ msg string }

func (e *errJSONSyntax) Error() string { return e.msg }

func (p *jsonVersionParser) syntax(what string) error {
	return &errJSONSyntax{what + " at byte " + strconv.FormatInt(p.off, 10)}
}

// readErr turns a reader's error into the error to report: an end of the
// body in the middle of the value is a syntax error, a body over its limit
// is too large.
func (p *jsonVersionParser) readErr(err error) error {
	if err == io.EOF {
		return p.syntax("unexpected end of JSON input")
	}
	return err
}

func (p *jsonVersionParser) readByte() (byte, error) {
	b, err := p.r.ReadByte()
	if err != nil {
		return 0, p.readErr(err)
	}
	p.off++
	return b, nil
}

// peek skips white space and returns the next byte without consuming it.
func (p *jsonVersionParser) peek() (byte, error) {
	for {
		b, err := p.r.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\n', '\r':
			p.off++
			continue
		}
		p.r.UnreadByte()
		return b, nil
	}
}

func (p *jsonVersionParser) parse() (in isms.VersionInput, err error) {
	defer func() {
		if err == nil {
			return
		}
		var se *errJSONSyntax
		var maxErr *http.MaxBytesError
		switch {
		case errors.As(err, &maxErr), errors.Is(err, isms.ErrUploadTooLarge):
			err = uploadProblem(err, p.limit)
		case errors.As(err, &se):
			err = isms.Errorf(isms.EInvalid, "err.bad_json", se.msg)
		case isms.AsError(err) == nil && !errors.Is(err, isms.ErrUploadSpool):
			err = isms.Errorf(isms.EInvalid, "doc.err.upload_broken")
		}
	}()
	b, err := p.peek()
	if err == io.EOF {
		return in, isms.Errorf(isms.EInvalid, "err.bad_json", "empty body")
	}
	if err != nil {
		return in, err
	}
	switch b {
	case '{':
		err = p.object(&in)
	case 'n':
		err = p.literal("null")
	default:
		// Valid JSON of another kind is the wrong type; anything else a
		// syntax error.
		if err = p.skipValue(); err == nil {
			p.typeError("", "object")
		}
	}
	if err != nil {
		return in, err
	}
	if _, err := p.peek(); err == nil {
		return in, isms.Errorf(isms.EInvalid, "err.bad_json", "trailing data after the JSON value")
	} else if err != io.EOF {
		return in, p.readErr(err)
	}
	if p.semantic != nil {
		return in, p.semantic
	}
	var nul []string
	for _, f := range versionUploadFields {
		if p.nul[f] {
			nul = append(nul, f)
		}
	}
	if len(nul) > 0 {
		return in, isms.NULError(nul...)
	}
	return in, p.content
}

// typeError keeps the first wrong type, as encoding/json reports it.
func (p *jsonVersionParser) typeError(field, want string) {
	if p.semantic == nil {
		p.semantic = &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
			Fields: []isms.FieldError{{Field: field, Key: "err.json_type", Args: []any{want}}}}
	}
}

// versionUploadFields are the keys of versionUpload.
var versionUploadFields = []string{"file_name", "content_base64", "text", "change_note", "version"}

func (p *jsonVersionParser) object(in *isms.VersionInput) error {
	p.readByte() // {
	b, err := p.peek()
	if err != nil {
		return p.readErr(err)
	}
	if b == '}' {
		p.readByte()
		return nil
	}
	contentSeen := false
	for {
		if b, err := p.peek(); err != nil {
			return p.readErr(err)
		} else if b != '"' {
			return p.syntax("invalid character looking for beginning of object key string")
		}
		key, _, err := p.str(jsonStringMax)
		if err != nil {
			return err
		}
		if b, err := p.peek(); err != nil {
			return p.readErr(err)
		} else if b != ':' {
			return p.syntax("invalid character after object key")
		}
		p.readByte()
		if _, err := p.peek(); err != nil {
			return p.readErr(err)
		}
		field := ""
		for _, f := range versionUploadFields {
			if key == f || strings.EqualFold(key, f) {
				field = f
				break
			}
		}
		switch field {
		case "":
			if p.semantic == nil {
				p.semantic = &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
					Fields: []isms.FieldError{{Field: key, Key: "err.unknown_field"}}}
			}
			err = p.skipValue()
		case "version":
			err = p.version(&in.Version)
		case "content_base64":
			if contentSeen {
				return isms.Errorf(isms.EInvalid, "err.bad_json", "content_base64 is given twice")
			}
			contentSeen = true
			err = p.contentValue(in)
		default:
			var s *string
			switch field {
			case "file_name":
				s = &in.FileName
			case "text":
				s = &in.Text
			case "change_note":
				s = &in.ChangeNote
			}
			err = p.stringValue(field, s)
		}
		if err != nil {
			return err
		}
		b, err := p.peek()
		if err != nil {
			return p.readErr(err)
		}
		p.readByte()
		switch b {
		case ',':
			continue
		case '}':
			return nil
		}
		return p.syntax("invalid character after object key:value pair")
	}
}

// stringValue reads a string field: a string, null, or the wrong type.
func (p *jsonVersionParser) stringValue(field string, dst *string) error {
	b, _ := p.peek()
	switch b {
	case '"':
		s, nul, err := p.str(jsonStringMax)
		*dst = s
		p.nul[field] = nul
		return err
	case 'n':
		p.nul[field] = false
		return p.literal("null")
	}
	if err := p.skipValue(); err != nil {
		return err
	}
	p.typeError(field, "string")
	return nil
}

// version reads the document's version: an integer that fits in int64.
func (p *jsonVersionParser) version(dst *int64) error {
	b, _ := p.peek()
	switch {
	case b == 'n':
		return p.literal("null")
	case b == '-' || (b >= '0' && b <= '9'):
		lit, err := p.number()
		if err != nil {
			return err
		}
		n, err := strconv.ParseInt(lit, 10, 64)
		if err != nil {
			p.typeError("version", "number")
			return nil
		}
		*dst = n
		return nil
	}
	if err := p.skipValue(); err != nil {
		return err
	}
	p.typeError("version", "number")
	return nil
}

// contentValue streams content_base64 through a base64 decoder into a
// temporary file.
func (p *jsonVersionParser) contentValue(in *isms.VersionInput) error {
	b, _ := p.peek()
	switch b {
	case 'n':
		p.nul["content_base64"] = false
		return p.literal("null")
	case '"':
	default:
		if err := p.skipValue(); err != nil {
			return err
		}
		p.typeError("content_base64", "string")
		return nil
	}
	p.readByte() // "
	sr := &jsonStringReader{p: p}
	defer func() { p.nul["content_base64"] = sr.nul }()
	up, err := isms.SpoolUpload(base64.NewDecoder(base64.StdEncoding, sr), p.limit)
	if err != nil {
		if sr.err != nil {
			return sr.err // the JSON or the body broke, not the content
		}
		// Bad base64 or too much content: a problem of the content,
		// reported if the rest is valid JSON. The rest of the string is
		// read past.
		var corrupt base64.CorruptInputError
		switch {
		case errors.Is(err, isms.ErrUploadTooLarge):
			p.content = isms.ErrUploadTooLarge
		case errors.As(err, &corrupt) || errors.Is(err, io.ErrUnexpectedEOF):
			p.content = &isms.Error{Code: isms.EInvalid, Key: "err.invalid",
				Fields: []isms.FieldError{{Field: "content_base64", Key: "doc.err.base64"}}}
		default:
			return err // the temporary file
		}
		if _, err := io.Copy(io.Discard, sr); err != nil {
			return err
		}
		return nil
	}
	if up.Size() == 0 {
		up.Close()
		return nil
	}
	in.File = up
	return nil
}

// str reads a JSON string, keeping max bytes of it (and the rest of the
// character the last of them is in) and reading past the rest.
func (p *jsonVersionParser) str(max int) (s string, nul bool, err error) {
	p.readByte() // "
	sr := &jsonStringReader{p: p}
	defer func() { nul = sr.nul }()
	var sb strings.Builder
	buf := make([]byte, 512)
	for {
		n, err := sr.Read(buf)
		if sb.Len() < max+utf8.UTFMax {
			sb.Write(buf[:min(n, max+utf8.UTFMax-sb.Len())])
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", false, err
		}
	}
	s = sb.String()
	if len(s) > max {
		cut := max // and on to the end of the character it is in
		for cut < len(s) && !utf8.RuneStart(s[cut]) {
			cut++
		}
		s = s[:cut]
	}
	return s, false, nil
}

// number reads a JSON number's literal.
func (p *jsonVersionParser) number() (string, error) {
	var sb strings.Builder
	next := func() byte {
		b, err := p.r.ReadByte()
		if err != nil {
			return 0
		}
		p.r.UnreadByte()
		return b
	}
	take := func() { b, _ := p.readByte(); sb.WriteByte(b) }
	digits := func() int {
		n := 0
		for b := next(); b >= '0' && b <= '9'; b = next() {
			take()
			n++
		}
		return n
	}
	if next() == '-' {
		take()
	}
	switch b := next(); {
	case b == '0':
		take()
	case b >= '1' && b <= '9':
		digits()
	default:
		if _, err := p.r.Peek(1); err != nil {
			return "", p.readErr(err)
		}
		return "", p.syntax("invalid character in numeric literal")
	}
	if next() == '.' {
		take()
		if digits() == 0 {
			return "", p.syntax("invalid character after decimal point in numeric literal")
		}
	}
	if b := next(); b == 'e' || b == 'E' {
		take()
		if b := next(); b == '+' || b == '-' {
			take()
		}
		if digits() == 0 {
			return "", p.syntax("invalid character in exponent of numeric literal")
		}
	}
	return sb.String(), nil
}

// literal reads true, false or null.
func (p *jsonVersionParser) literal(want string) error {
	for i := 0; i < len(want); i++ {
		b, err := p.readByte()
		if err != nil {
			return err
		}
		if b != want[i] {
			return p.syntax("invalid character in literal " + want)
		}
	}
	return nil
}

// skipValue reads past any JSON value, checking its syntax.
func (p *jsonVersionParser) skipValue() error {
	return p.skip(0)
}

func (p *jsonVersionParser) skip(depth int) error {
	if depth > 10000 {
		return p.syntax("exceeded max depth")
	}
	b, err := p.peek()
	if err != nil {
		return p.readErr(err)
	}
	switch {
	case b == '"':
		p.readByte()
		_, err := io.Copy(io.Discard, &jsonStringReader{p: p})
		return err
	case b == '-' || (b >= '0' && b <= '9'):
		_, err := p.number()
		return err
	case b == 't':
		return p.literal("true")
	case b == 'f':
		return p.literal("false")
	case b == 'n':
		return p.literal("null")
	case b == '[' || b == '{':
		p.readByte()
		end := byte(']')
		if b == '{' {
			end = '}'
		}
		if c, err := p.peek(); err != nil {
			return p.readErr(err)
		} else if c == end {
			p.readByte()
			return nil
		}
		for {
			if b == '{' {
				if c, err := p.peek(); err != nil {
					return p.readErr(err)
				} else if c != '"' {
					return p.syntax("invalid character looking for beginning of object key string")
				}
				p.readByte()
				if _, err := io.Copy(io.Discard, &jsonStringReader{p: p}); err != nil {
					return err
				}
				if c, err := p.peek(); err != nil {
					return p.readErr(err)
				} else if c != ':' {
					return p.syntax("invalid character after object key")
				}
				p.readByte()
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			c, err := p.peek()
			if err != nil {
				return p.readErr(err)
			}
			p.readByte()
			if c == end {
				return nil
			}
			if c != ',' {
				return p.syntax("invalid character after value")
			}
		}
	}
	p.readByte()
	return p.syntax("invalid character looking for beginning of value")
}

// jsonStringReader reads the characters of a JSON string whose opening
// quote was read, unescaped, up to its closing quote. Bytes that are not
// UTF-8 and lone surrogates read as U+FFFD, as encoding/json decodes them.
type jsonStringReader struct {
	p       *jsonVersionParser
	pending []byte // an unescaped character not yet handed out
	done    bool
	nul     bool // a \u0000 was read
	err     error
}

func (s *jsonStringReader) Read(out []byte) (int, error) {
	n := 0
	for n < len(out) && s.err == nil {
		if len(s.pending) > 0 {
			c := copy(out[n:], s.pending)
			s.pending = s.pending[c:]
			n += c
			continue
		}
		if s.done {
			break
		}
		// Copy a run of plain ASCII straight from the buffer.
		r := s.p.r
		if r.Buffered() == 0 {
			if _, err := r.Peek(1); err != nil {
				s.err = s.p.readErr(err)
				break
			}
		}
		buf, _ := r.Peek(min(r.Buffered(), len(out)-n))
		i := 0
		for i < len(buf) && buf[i] >= 0x20 && buf[i] < utf8.RuneSelf && buf[i] != '"' && buf[i] != '\\' {
			i++
		}
		n += copy(out[n:], buf[:i])
		r.Discard(i)
		s.p.off += int64(i)
		if i < len(buf) {
			s.err = s.special()
		}
	}
	if n > 0 {
		return n, nil
	}
	if s.err != nil {
		return 0, s.err
	}
	return 0, io.EOF
}

// special reads one byte that is not plain ASCII: the closing quote, an
// escape, a control character (an error) or the start of a UTF-8
// sequence.
func (s *jsonStringReader) special() error {
	p := s.p
	b, err := p.r.Peek(1)
	if err != nil {
		return p.readErr(err)
	}
	switch c := b[0]; {
	case c == '"':
		p.readByte()
		s.done = true
		return nil
	case c == '\\':
		p.readByte()
		e, err := p.readByte()
		if err != nil {
			return err
		}
		var r rune
		switch e {
		case '"', '\\', '/':
			r = rune(e)
		case 'b':
			r = '\b'
		case 'f':
			r = '\f'
		case 'n':
			r = '\n'
		case 'r':
			r = '\r'
		case 't':
			r = '\t'
		case 'u':
			hi, err := s.hex4()
			if err != nil {
				return err
			}
			r = hi
			if utf16.IsSurrogate(hi) {
				// A pair when a low surrogate follows as \uXXXX; a lone
				// surrogate reads as U+FFFD.
				r = utf8.RuneError
				if next, _ := p.r.Peek(6); len(next) == 6 && next[0] == '\\' && next[1] == 'u' {
					if lo, ok := parseHex4(next[2:]); ok {
						if pair := utf16.DecodeRune(hi, lo); pair != utf8.RuneError {
							p.r.Discard(6)
							p.off += 6
							r = pair
						}
					}
				}
			}
		default:
			return p.syntax("invalid character in string escape code")
		}
		s.nul = s.nul || r == 0
		s.pending = utf8.AppendRune(s.pending[:0], r)
		return nil
	case c < 0x20:
		return p.syntax("invalid character in string literal")
	}
	// A multi-byte character: keep it when it is valid UTF-8.
	buf, _ := p.r.Peek(utf8.UTFMax)
	r, size := utf8.DecodeRune(buf)
	if r == utf8.RuneError && size <= 1 {
		p.r.Discard(1)
		p.off++
		s.pending = utf8.AppendRune(s.pending[:0], utf8.RuneError)
		return nil
	}
	s.pending = append(s.pending[:0], buf[:size]...)
	p.r.Discard(size)
	p.off += int64(size)
	return nil
}

func (s *jsonStringReader) hex4() (rune, error) {
	var h [4]byte
	for i := range h {
		b, err := s.p.readByte()
		if err != nil {
			return 0, err
		}
		h[i] = b
	}
	r, ok := parseHex4(h[:])
	if !ok {
		return 0, s.p.syntax("invalid character in \\u hexadecimal character escape")
	}
	return r, nil
}

func parseHex4(b []byte) (rune, bool) {
	var r rune
	for _, c := range b[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*16 + rune(c)
	}
	return r, true
}
