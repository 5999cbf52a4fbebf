package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// referenceJSONVersion is how the JSON body of a new version was read
// before it was streamed: encoding/json into versionUpload, then base64,
// then the size limit. readJSONVersion must accept and refuse the same.
func referenceJSONVersion(body []byte, limit int64) (isms.VersionInput, []byte, error) {
	r := &http.Request{Body: io.NopCloser(bytes.NewReader(body))}
	var b versionUpload
	if err := decodeJSON(r, &b); err != nil {
		return isms.VersionInput{}, nil, err
	}
	in := isms.VersionInput{FileName: b.FileName, Text: b.Text, ChangeNote: b.ChangeNote, Version: b.Version}
	var data []byte
	if b.ContentBase64 != "" {
		var err error
		if data, err = base64.StdEncoding.DecodeString(b.ContentBase64); err != nil {
			return in, nil, isms.Errorf(isms.EInvalid, "doc.err.base64")
		}
		if int64(len(data)) > limit {
			return in, nil, isms.Errorf(isms.EInvalid, "doc.err.too_large")
		}
	}
	return in, data, nil
}

// compareJSONVersion reads body both ways and reports any difference.
func compareJSONVersion(t *testing.T, body []byte, limit int64) {
	t.Helper()
	want, wantData, wantErr := referenceJSONVersion(body, limit)
	got, err := readJSONVersion(bytes.NewReader(body), limit)
	if got.File != nil {
		defer got.File.Close()
	}
	if err != nil && strings.Contains(err.Error(), "given twice") {
		return // the one intended difference
	}
	if (err == nil) != (wantErr == nil) {
		t.Fatalf("%q:\n streamed: %v\n reference: %v", body, err, wantErr)
	}
	if err != nil {
		if isms.ErrorCode(err) != isms.EInvalid {
			t.Fatalf("%q: %v is not a refusal of the input", body, err)
		}
		return
	}
	var gotData []byte
	if got.File != nil {
		gotData, _ = io.ReadAll(got.File.Reader())
		if len(gotData) == 0 {
			t.Fatalf("%q: an empty file kept", body)
		}
	}
	if got.FileName != want.FileName || got.Text != want.Text || got.ChangeNote != want.ChangeNote || got.Version != want.Version ||
		!bytes.Equal(gotData, wantData) {
		t.Fatalf("%q:\n streamed: %+v %q\n reference: %+v %q", body, got, gotData, want, wantData)
	}
}

var jsonVersionSeeds = []string{
	`{"file_name":"a.pdf","content_base64":"JVBERi0xLjcK","change_note":"Første","version":3}`,
	`{"text":"# Tekst\n\nmed \"citat\" og \u00e6\u00f8\u00e5 og \ud834\udd1e","version":1}`,
	` { "File_Name" : "a.pdf" , "CONTENT_BASE64" : "JVBE\r\nRi0x" , "Version" : -0 } `,
	`{"content_base64":"JVBERi0xLjcK\/\/\/\/"}`,
	`{"content_base64":"\u004aVBERi0xLjcK"}`,
	`{"content_base64":null,"file_name":null,"version":null}`,
	`null`,
	`{}`,
	``,
	`[]`,
	`"x"`,
	`{"version":1.0}`,
	`{"version":1e2}`,
	`{"version":"1"}`,
	`{"version":99999999999999999999}`,
	`{"version":01}`,
	`{"version":-}`,
	`{"file_name":3}`,
	`{"file_name":{"a":[1,2,{"b":null}]}}`,
	`{"unknown":1,"version":"x"}`,
	`{"version":"x","unknown":1}`,
	`{"content_base64":"***"}`,
	`{"content_base64":"***","unknown":1}`,
	`{"content_base64":"QQ"}`,
	`{"content_base64":"QQ==QQ=="}`,
	`{"content_base64":"QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB"}`,
	`{"content_base64":"JVBE` + "\x01" + `"}`,
	`{"content_base64":"JVBE`,
	`{"file_name":"a.pdf"`,
	`{"file_name":"a.pdf"}x`,
	`{"file_name":"a.pdf"} {}`,
	`{"file_name":"\ud800 ensom"}`,
	`{"file_name":"\udc00\ud800"}`,
	`{"file_name":"\ud800\u0041"}`,
	`{"file_name":"\uZZZZ"}`,
	"{\"file_name\":\"\xff\xfe ugyldig\"}",
	`{"text":"a","text":"b"}`,
	`{"content_base64":"QUFB","content_base64":"QkJC"}`,
	`{"file_name":"a.pdf",}`,
	`{,}`,
	`{"a" 1}`,
	`{"version":true}`,
	`{"version":nul}`,
	`{"file_name":"x\ty"}`,
	`{"file_name":"a\u0000b.pdf","content_base64":"JVBERi0xLjcK"}`,
	`{"content_base64":"QUFB\u0000"}`,
	`{"text":"x\u0000","text":"y"}`,
	`{"text":"y","text":"x\u0000"}`,
	`{"change_note":"\u0000","unknown":1}`,
	`{"change_note":"\u0000","content_base64":"***"}`,
}

func TestReadJSONVersionAgreesWithEncodingJSON(t *testing.T) {
	for _, s := range jsonVersionSeeds {
		compareJSONVersion(t, []byte(s), 64)
	}
	// Content over the limit, and a body that breaks off as too large.
	big := `{"content_base64":"` + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("x"), 65)) + `"}`
	compareJSONVersion(t, []byte(big), 64)
	_, err := readJSONVersion(http.MaxBytesReader(nil, io.NopCloser(strings.NewReader(big)), 40), 1<<20)
	if e := isms.AsError(err); e == nil || len(e.Fields) != 1 || e.Fields[0].Key != "doc.err.too_large" {
		t.Fatalf("body over its limit: %v", err)
	}
}

// Strings other than the content are kept up to a bound past every limit
// the store applies, so memory stays bounded and the store still says
// which is too long.
func TestReadJSONVersionBoundsItsStrings(t *testing.T) {
	long := strings.Repeat("æ", isms.MaxVersionText) // two bytes each
	body, _ := json.Marshal(map[string]any{"text": long, "change_note": long, "file_name": "a.pdf"})
	in, err := readJSONVersion(bytes.NewReader(body), 64)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{in.Text, in.ChangeNote} {
		if len(s) > jsonStringMax+utf8.UTFMax || len(s) <= isms.MaxVersionText || !strings.HasPrefix(long, s) || !utf8.ValidString(s) {
			t.Fatalf("kept %d bytes", len(s))
		}
	}
}

func FuzzReadJSONVersion(f *testing.F) {
	for _, s := range jsonVersionSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		compareJSONVersion(t, body, 64)
	})
}
