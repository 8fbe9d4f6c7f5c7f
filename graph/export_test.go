package graph

// DecodeData is decodeData, for the tests of graph_test.
var DecodeData = decodeData

// MaxDataDepth is maxDataDepth.
const MaxDataDepth = maxDataDepth
