// Package renda holds the files the binary carries with it.
package renda

import _ "embed"

// DemoTownship is the demo dataset: 棋盘山镇's year as records (see
// testdata/demo/qipanshan.yaml and testdata/reference).
//
//go:embed testdata/demo/qipanshan.yaml
var DemoTownship []byte
