package engine

// The Chinese formatting functions templates call, for the fuzz targets in
// engine_test.
var (
	CnNum      = cnNum
	CnCount    = cnCount
	CnOrdinal  = cnOrdinal
	CnNth      = cnNth
	CnMonth    = cnMonth
	Section    = section
	Approx     = approx
	Percent    = percent
	NaturalKey = naturalKey
)
