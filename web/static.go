package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// staticFiles serves the embedded assets under a content-hashed path
// (/static/<hash>/style.css), so browsers may cache them forever and a new
// release is picked up at once.
type staticFiles struct {
	files  map[string][]byte // name → content
	hashed map[string]string // name → /static/<hash>/name
	byPath map[string]string // /static/<hash>/name → name
}

func loadStatic(fsys fs.FS) (staticFiles, error) {
	sf := staticFiles{files: map[string][]byte{}, hashed: map[string]string{}, byPath: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		url := "/static/" + hex.EncodeToString(sum[:6]) + "/" + p
		sf.files[p], sf.hashed[p], sf.byPath[url] = b, url, p
		return nil
	})
	return sf, err
}

// URL returns the hashed URL of an asset.
func (sf staticFiles) URL(name string) string { return sf.hashed[name] }

func (sf staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	name, ok := sf.byPath[r.URL.Path]
	if !ok {
		http.NotFound(w, r)
		return
	}
	switch path.Ext(name) {
	case ".css":
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	case ".js":
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
	case ".svg":
		w.Header().Set("Content-Type", "image/svg+xml")
	default:
		w.Header().Set("Content-Type", http.DetectContentType(sf.files[name]))
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	if strings.HasSuffix(name, ".ico") {
		w.Header().Set("Cache-Control", "public, max-age=86400")
	}
	w.Write(sf.files[name])
}
