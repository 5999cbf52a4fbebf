package export

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"image/png"
	"io"
	"strings"
	"time"
)

// A small WordprocessingML (DOCX) writer for reports such as the
// management review's pack: headings, paragraphs, tables with a header row
// and PNG images, in one section. It writes only what Word and
// LibreOffice Writer both read: the package parts ([Content_Types].xml,
// the relationships), the document, its styles (so headings are real
// headings in the navigation pane and the table of contents) and the core
// properties.

// DOCXType is the media type of a DOCX file.
const DOCXType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

// Document is a report to be written as DOCX.
type Document struct {
	Title  string
	Lang   string // "da" or "en", for the spelling and hyphenation
	blocks []docBlock
	images [][]byte
}

type docBlock struct {
	kind   string // heading, para, table, image
	level  int
	text   string
	header []string
	rows   [][]string
	image  int // index into images
	w, h   int // image size in pixels
}

// Heading adds a heading of level 1 or 2.
func (d *Document) Heading(level int, text string) {
	d.blocks = append(d.blocks, docBlock{kind: "heading", level: min(max(level, 1), 2), text: text})
}

// Para adds a paragraph; line breaks in text are kept.
func (d *Document) Para(text string) { d.blocks = append(d.blocks, docBlock{kind: "para", text: text}) }

// Table adds a table with a header row repeated on each page.
func (d *Document) Table(header []string, rows [][]string) {
	d.blocks = append(d.blocks, docBlock{kind: "table", header: header, rows: rows})
}

// Image adds a PNG image on its own line, described by alt for those who
// do not see it.
func (d *Document) Image(pngData []byte, alt string) {
	w, h := 800, 360
	if cfg, err := png.DecodeConfig(bytes.NewReader(pngData)); err == nil {
		w, h = cfg.Width, cfg.Height
	}
	d.images = append(d.images, pngData)
	d.blocks = append(d.blocks, docBlock{kind: "image", text: alt, image: len(d.images) - 1, w: w, h: h})
}

// esc writes text safe for XML, leaving out characters XML 1.0 cannot
// carry (control characters other than tab and newline).
func esc(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r >= 0x20 && r != 0xFFFE && r != 0xFFFF {
			return r
		}
		return -1
	}, s)
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// runs writes text as runs, a line break for each newline.
func runs(text string, bold bool) string {
	var b strings.Builder
	b.WriteString("<w:r>")
	if bold {
		b.WriteString("<w:rPr><w:b/></w:rPr>")
	}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		b.WriteString(`<w:t xml:space="preserve">` + esc(line) + "</w:t>")
	}
	b.WriteString("</w:r>")
	return b.String()
}

func cell(text string, header bool, width int) string {
	shade := ""
	if header {
		shade = `<w:shd w:val="clear" w:color="auto" w:fill="E7EEF6"/>`
	}
	return fmt.Sprintf(`<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/>%s</w:tcPr><w:p><w:pPr><w:spacing w:before="0" w:after="0"/></w:pPr>%s</w:p></w:tc>`,
		width, shade, runs(text, header))
}

// textWidth is the width of an A4 page's text in twentieths of a point.
const textWidth = 9638

func (d *Document) body() string {
	var b strings.Builder
	for i, bl := range d.blocks {
		switch bl.kind {
		case "heading":
			fmt.Fprintf(&b, `<w:p><w:pPr><w:pStyle w:val="Heading%d"/></w:pPr>%s</w:p>`, bl.level, runs(bl.text, false))
		case "para":
			b.WriteString("<w:p>" + runs(bl.text, false) + "</w:p>")
		case "table":
			n := max(len(bl.header), 1)
			w := textWidth / n
			b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="ReportTable"/><w:tblW w:w="5000" w:type="pct"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>`)
			for range n {
				fmt.Fprintf(&b, `<w:gridCol w:w="%d"/>`, w)
			}
			b.WriteString(`</w:tblGrid><w:tr><w:trPr><w:tblHeader/></w:trPr>`)
			for _, h := range bl.header {
				b.WriteString(cell(h, true, w))
			}
			b.WriteString("</w:tr>")
			for _, row := range bl.rows {
				b.WriteString("<w:tr><w:trPr><w:cantSplit/></w:trPr>")
				for c := range n {
					t := ""
					if c < len(row) {
						t = row[c]
					}
					b.WriteString(cell(t, false, w))
				}
				b.WriteString("</w:tr>")
			}
			// A table must be followed by a paragraph before the next table.
			b.WriteString(`</w:tbl><w:p/>`)
		case "image":
			// Scaled to the text's width, keeping the proportions; EMU are
			// 914400 an inch, 635 a twentieth of a point.
			cx := int64(textWidth) * 635
			cy := cx * int64(bl.h) / int64(max(bl.w, 1))
			id := i + 1
			fmt.Fprintf(&b, `<w:p><w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="%d" cy="%d"/>`+
				`<wp:docPr id="%d" name="Chart %d" descr="%s"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>`+
				`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>`+
				`<pic:nvPicPr><pic:cNvPr id="%d" name="chart%d.png" descr="%s"/><pic:cNvPicPr/></pic:nvPicPr>`+
				`<pic:blipFill><a:blip r:embed="rIdImage%d"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>`+
				`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>`+
				`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`,
				cx, cy, id, id, esc(bl.text), id, bl.image+1, esc(bl.text), bl.image+1, cx, cy)
		}
	}
	return b.String()
}

const docNamespaces = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"`

const xmlHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

func (d *Document) styles() string {
	lang := "en-GB"
	if d.Lang == "da" {
		lang = "da-DK"
	}
	return xmlHead + `<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">` +
		`<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="22"/><w:szCs w:val="22"/><w:lang w:val="` + lang + `"/></w:rPr></w:rPrDefault>` +
		`<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:color w:val="1F4E79"/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
		`<w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:color w:val="1F4E79"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr></w:style>` +
		`<w:style w:type="table" w:styleId="ReportTable"><w:name w:val="Report Table"/><w:tblPr><w:tblBorders>` +
		`<w:top w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/>` +
		`<w:bottom w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/>` +
		`<w:insideH w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8EA9C1"/>` +
		`</w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr>` +
		`<w:rPr><w:sz w:val="18"/><w:szCs w:val="18"/></w:rPr></w:style>` +
		`</w:styles>`
}

// WriteDOCX writes the document as a DOCX file.
func WriteDOCX(w io.Writer, d *Document) error {
	z := zip.NewWriter(w)
	put := func(name, content string) error {
		f, err := z.Create(name)
		if err != nil {
			return err
		}
		_, err = io.WriteString(f, content)
		return err
	}
	var rels strings.Builder
	rels.WriteString(xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`)
	for i := range d.images {
		fmt.Fprintf(&rels, `<Relationship Id="rIdImage%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/chart%d.png"/>`, i+1, i+1)
	}
	rels.WriteString(`</Relationships>`)
	parts := []struct{ name, content string }{
		{"[Content_Types].xml", xmlHead + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
			`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>`},
		{"_rels/.rels", xmlHead + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rIdDoc" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>` +
			`<Relationship Id="rIdCore" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"docProps/core.xml", xmlHead + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
			`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			`<dc:title>` + esc(d.Title) + `</dc:title><dc:language>` + esc(d.Lang) + `</dc:language>` +
			`<dcterms:created xsi:type="dcterms:W3CDTF">` + time.Now().UTC().Format(time.RFC3339) + `</dcterms:created></cp:coreProperties>`},
		{"word/_rels/document.xml.rels", rels.String()},
		{"word/styles.xml", d.styles()},
		{"word/document.xml", xmlHead + `<w:document ` + docNamespaces + `><w:body>` + d.body() +
			`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>` +
			`</w:body></w:document>`},
	}
	for _, p := range parts {
		if err := put(p.name, p.content); err != nil {
			return err
		}
	}
	for i, img := range d.images {
		f, err := z.Create(fmt.Sprintf("word/media/chart%d.png", i+1))
		if err != nil {
			return err
		}
		if _, err := f.Write(img); err != nil {
			return err
		}
	}
	return z.Close()
}
