package sqlstore

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// docMediaTypes are the canonical media types of the file formats the
// product knows, and docSniffed are what content sniffing (the WHATWG
// algorithm in net/http) may say about a genuine file of that format. A
// format the product does not know is stored as application/octet-stream
// and not docSniffed.
var docMediaTypes = map[string]string{
	"pdf":  "application/pdf",
	"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"odt":  "application/vnd.oasis.opendocument.text",
	"ods":  "application/vnd.oasis.opendocument.spreadsheet",
	"odp":  "application/vnd.oasis.opendocument.presentation",
	"doc":  "application/msword",
	"xls":  "application/vnd.ms-excel",
	"ppt":  "application/vnd.ms-powerpoint",
	"txt":  "text/plain; charset=utf-8",
	"md":   "text/markdown; charset=utf-8",
	"csv":  "text/csv; charset=utf-8",
	"png":  "image/png",
	"jpg":  "image/jpeg",
	"jpeg": "image/jpeg",
	"gif":  "image/gif",
	"zip":  "application/zip",
	"xml":  "application/xml",
	"html": "text/html; charset=utf-8",
	"json": "application/json",
	"svg":  "image/svg+xml",
	"msg":  "application/vnd.ms-outlook",
	"eml":  "message/rfc822",
}

var docSniffed = map[string][]string{
	"pdf":  {"application/pdf"},
	"docx": {"application/zip"},
	"xlsx": {"application/zip"},
	"pptx": {"application/zip"},
	"odt":  {"application/zip"},
	"ods":  {"application/zip"},
	"odp":  {"application/zip"},
	"zip":  {"application/zip"},
	"doc":  {"application/octet-stream"},
	"xls":  {"application/octet-stream"},
	"ppt":  {"application/octet-stream"},
	"msg":  {"application/octet-stream"},
	"txt":  {"text/plain"},
	"md":   {"text/plain"},
	"csv":  {"text/plain"},
	"json": {"text/plain"},
	"eml":  {"text/plain"},
	"xml":  {"text/xml", "text/plain"},
	"svg":  {"text/xml", "text/plain"},
	"html": {"text/html", "text/plain"},
	"png":  {"image/png"},
	"jpg":  {"image/jpeg"},
	"jpeg": {"image/jpeg"},
	"gif":  {"image/gif"},
}

// checkDocFile checks an uploaded file's name and content against the
// accepted formats: by its extension and by what its content turns out
// to be. It returns the cleaned name and the media type to store.
func checkDocFile(v *isms.Validation, rules *isms.DocumentFormRules, name string, content *isms.Upload) (string, string) {
	name = strings.TrimSpace(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if name == "." || name == "/" {
		name = ""
	}
	if name == "" {
		v.Add("file", "doc.err.file_name")
		return "", ""
	}
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > 255 || strings.IndexFunc(name, unicode.IsControl) >= 0 {
		v.Add("file", "doc.err.file_name")
		return "", ""
	}
	if content == nil || content.Size() == 0 {
		v.Add("file", "doc.err.file_empty")
		return "", ""
	}
	ext := strings.ToLower(strings.TrimPrefix(path.Ext(name), "."))
	accepted := docAcceptedFormats(rules)
	if ext == "" || !slices.Contains(accepted, ext) {
		v.Add("file", "doc.err.format_refused", ext, strings.Join(accepted, ", "))
		return "", ""
	}
	if want, ok := docSniffed[ext]; ok {
		got, _, _ := strings.Cut(http.DetectContentType(content.Head()), ";")
		if !slices.Contains(want, got) {
			v.Add("file", "doc.err.content_mismatch", ext, got)
			return "", ""
		}
		if strings.HasPrefix(got, "text/") && !content.ValidUTF8() && ext != "txt" && ext != "csv" {
			v.Add("file", "doc.err.content_mismatch", ext, got)
			return "", ""
		}
	}
	mt, ok := docMediaTypes[ext]
	if !ok {
		mt = "application/octet-stream"
	}
	return name, mt
}

func docChecksum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
