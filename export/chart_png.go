package export

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"math"
	"time"
)

// A line chart drawn as a PNG, for documents that cannot carry the web
// page's SVG (a DOCX opened in Word or LibreOffice): an indicator's values
// over time as a blue line with dots, its target (green) and thresholds
// (amber, red) as dashed horizontal lines, on a light grid. The document
// states the values in a table beside it, so the chart needs no text.

// ChartSeries is what the chart draws.
type ChartSeries struct {
	Days    []time.Time
	Values  []float64
	Target  *float64
	Warning *float64
	Breach  *float64
}

const (
	pngW, pngH   = 800, 320
	pngL, pngR   = 40, 20
	pngT, pngB   = 20, 30
	pngPlotW     = pngW - pngL - pngR
	pngPlotH     = pngH - pngT - pngB
	pngLineWidth = 3
)

var (
	colBlue  = color.RGBA{0x1f, 0x5f, 0xa8, 0xff}
	colGreen = color.RGBA{0x2e, 0x7d, 0x32, 0xff}
	colAmber = color.RGBA{0x8a, 0x5a, 0x00, 0xff}
	colRed   = color.RGBA{0xb3, 0x26, 0x1e, 0xff}
	colGrid  = color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	colAxis  = color.RGBA{0x55, 0x55, 0x55, 0xff}
)

// LineChartPNG draws the series; it needs at least one value.
func LineChartPNG(s ChartSeries) ([]byte, error) {
	if len(s.Values) == 0 || len(s.Values) != len(s.Days) {
		return nil, errors.New("chart: no values")
	}
	img := image.NewRGBA(image.Rect(0, 0, pngW, pngH))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	see := func(f float64) { lo, hi = math.Min(lo, f), math.Max(hi, f) }
	for _, v := range s.Values {
		see(v)
	}
	for _, t := range []*float64{s.Target, s.Warning, s.Breach} {
		if t != nil {
			see(*t)
		}
	}
	// From zero for positive values (counts, per cents), with room above.
	if lo > 0 {
		lo = 0
	}
	if hi <= lo {
		hi = lo + 1
	}
	hi += (hi - lo) * 0.08
	first, last := s.Days[0], s.Days[len(s.Days)-1]
	span := last.Sub(first).Hours()
	x := func(d time.Time) int {
		if span <= 0 {
			return pngL + pngPlotW/2
		}
		return pngL + int(float64(pngPlotW)*d.Sub(first).Hours()/span)
	}
	y := func(v float64) int { return pngT + int(float64(pngPlotH)*(1-(v-lo)/(hi-lo))) }
	for k := 0; k <= 4; k++ {
		gy := pngT + pngPlotH*k/4
		line(img, pngL, gy, pngW-pngR, gy, 1, colGrid, 0)
	}
	line(img, pngL, pngT, pngL, pngT+pngPlotH, 2, colAxis, 0)
	line(img, pngL, pngT+pngPlotH, pngW-pngR, pngT+pngPlotH, 2, colAxis, 0)
	for _, t := range []struct {
		v    *float64
		c    color.RGBA
		dash int
	}{{s.Target, colGreen, 12}, {s.Warning, colAmber, 6}, {s.Breach, colRed, 16}} {
		if t.v != nil {
			line(img, pngL, y(*t.v), pngW-pngR, y(*t.v), 2, t.c, t.dash)
		}
	}
	for i := 1; i < len(s.Values); i++ {
		line(img, x(s.Days[i-1]), y(s.Values[i-1]), x(s.Days[i]), y(s.Values[i]), pngLineWidth, colBlue, 0)
	}
	if len(s.Values) <= 60 {
		for i, v := range s.Values {
			dot(img, x(s.Days[i]), y(v), 5, colBlue)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// line draws from (x0,y0) to (x1,y1), width pixels wide; dash > 0 draws
// dashes of that length with gaps as long.
func line(img *image.RGBA, x0, y0, x1, y1, width int, c color.RGBA, dash int) {
	dx, dy := float64(x1-x0), float64(y1-y0)
	n := int(math.Max(math.Abs(dx), math.Abs(dy)))
	if n == 0 {
		dot(img, x0, y0, width, c)
		return
	}
	for i := 0; i <= n; i++ {
		if dash > 0 && (i/dash)%2 == 1 {
			continue
		}
		px := x0 + int(math.Round(dx*float64(i)/float64(n)))
		py := y0 + int(math.Round(dy*float64(i)/float64(n)))
		dot(img, px, py, width, c)
	}
}

// dot fills a square of size pixels centred on (cx,cy).
func dot(img *image.RGBA, cx, cy, size int, c color.RGBA) {
	h := size / 2
	for yy := cy - h; yy <= cy-h+size-1; yy++ {
		for xx := cx - h; xx <= cx-h+size-1; xx++ {
			if image.Pt(xx, yy).In(img.Rect) {
				img.SetRGBA(xx, yy, c)
			}
		}
	}
}
