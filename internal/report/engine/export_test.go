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

// SetSlowWrap makes every function go through wrap (reflect.MakeFunc)
// rather than its typed guard, for tests comparing the two.
func SetSlowWrap(on bool) { slowWrap = on }
