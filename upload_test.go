package isms_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"
	"unicode/utf8"

	"github.com/ismsdk/isms"
)

// chunkedReader hands out its content in pieces of the given lengths, so a
// spooled upload sees writes that split characters anywhere.
type chunkedReader struct {
	data  []byte
	sizes []int
}

func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := len(c.data)
	if len(c.sizes) > 0 {
		n = max(1, min(n, c.sizes[0]))
		c.sizes = c.sizes[1:]
	}
	n = copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

func checkUpload(t *testing.T, u *isms.Upload, data []byte) {
	t.Helper()
	sum := sha256.Sum256(data)
	if u.Size() != int64(len(data)) || u.SHA256() != hex.EncodeToString(sum[:]) {
		t.Fatalf("size %d sum %s, want %d %x", u.Size(), u.SHA256(), len(data), sum)
	}
	if !bytes.Equal(u.Head(), data[:min(len(data), isms.UploadHead)]) {
		t.Fatalf("head %q", u.Head())
	}
	if u.ValidUTF8() != utf8.Valid(data) {
		t.Fatalf("ValidUTF8 %v for %q", u.ValidUTF8(), data)
	}
	for range 2 { // every reader starts at the beginning
		got, err := io.ReadAll(u.Reader())
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read back %d bytes, %v", len(got), err)
		}
	}
}

// An upload's measures are those of its content, however the content
// arrives: in one piece or in pieces that cut characters in two.
func TestSpoolUploadMeasuresTheContent(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	texts := [][]byte{
		nil,
		[]byte("%PDF-1.7\n"),
		[]byte("Æblegrød, smørrebrød og €uro — 日本語 𝄞 tekst"),
		[]byte("gyldig indtil her \xff og så ikke"),
		[]byte("afskåret midt i et tegn \xe2\x82"),
		[]byte("\xe2\x82\xac\xf0\x9d\x84\x9e"),
		[]byte("\xed\xa0\x80 surrogat"),
		bytes.Repeat([]byte("å"), 5000),
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	for i, data := range texts {
		for split := range 20 {
			var sizes []int
			for range 50 {
				sizes = append(sizes, 1+rnd.IntN(5+split))
			}
			u, err := isms.SpoolUpload(&chunkedReader{data: data, sizes: sizes}, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			checkUpload(t, u, data)
			u.Close()
		}
		checkUpload(t, isms.UploadBytes(data), data)
		_ = i
	}
	// Larger than the head, with the head's end inside a character.
	big := append(bytes.Repeat([]byte("x"), isms.UploadHead-1), "€ og mere"...)
	u, err := isms.SpoolUpload(&chunkedReader{data: big, sizes: []int{300, 1, 1, 7}}, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	checkUpload(t, u, big)
	u.Close()
}

func FuzzUploadMeter(f *testing.F) {
	f.Add([]byte("Æblegrød €"), uint64(1))
	f.Add([]byte("\xe2\x82"), uint64(2))
	f.Add([]byte("\xf0\x9d\x84\x9e\xff"), uint64(3))
	f.Fuzz(func(t *testing.T, data []byte, seed uint64) {
		rnd := rand.New(rand.NewPCG(seed, 7))
		var sizes []int
		for range 64 {
			sizes = append(sizes, 1+rnd.IntN(6))
		}
		u, err := isms.SpoolUpload(&chunkedReader{data: data, sizes: sizes}, 1<<20)
		if err != nil {
			t.Fatal(err)
		}
		defer u.Close()
		checkUpload(t, u, data)
	})
}

// A file over the limit, or a body that breaks off, leaves nothing behind.
func TestSpoolUploadRefusesAndCleansUp(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TMPDIR", dir)
	_, err := isms.SpoolUpload(bytes.NewReader(make([]byte, 1001)), 1000)
	if !errors.Is(err, isms.ErrUploadTooLarge) {
		t.Fatalf("over the limit: %v", err)
	}
	u, err := isms.SpoolUpload(bytes.NewReader(make([]byte, 1000)), 1000)
	if err != nil || u.Size() != 1000 {
		t.Fatalf("at the limit: %v", err)
	}
	cut := io.MultiReader(bytes.NewReader([]byte("%PDF")), iotestErrReader{io.ErrUnexpectedEOF})
	if _, err := isms.SpoolUpload(cut, 1000); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("cut off: %v", err)
	}
	var maxErr *http.MaxBytesError
	body := http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(make([]byte, 2000))), 1500)
	if _, err := isms.SpoolUpload(body, 1<<20); !errors.As(err, &maxErr) {
		t.Fatalf("body over its limit: %v", err)
	}
	u.Close()
	u.Close() // twice is fine
	var none *isms.Upload
	none.Close()
	left, _ := os.ReadDir(dir)
	if len(left) != 0 {
		t.Fatalf("left behind: %v", left)
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }
