package main

import "github.com/ismsdk/isms/i18n"

// englishMessage renders a catalogue message for the terminal.
func englishMessage(key string, args ...any) string { return i18n.T(i18n.EN, i18n.Key(key), args...) }
