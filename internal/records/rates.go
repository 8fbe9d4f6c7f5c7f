package records

// Handling tallies suggestions' handling as the 代表建议办理情况通报
// counts it: the one definition of the handling (办复率), on-time (按期答复率)
// and satisfied (满意率) rates, used by the dashboard, by every aggregate's
// rates and so by the documents that read them.
type Handling struct {
	Total int
	// Unassigned are SUBMITTED, ACCEPTED or RETURNED (退办, to be assigned
	// again): not with a department; Open are being handled (ASSIGNED,
	// REOPENED); Rejected not accepted
	// for handling. The rest were answered.
	Unassigned, Open, Rejected int
	// Replied have had a reply (their history reached REPLIED); of them
	// OnTime by their deadline, Late after it, NoDeadline had none.
	Replied, OnTime, Late, NoDeadline int
	// OverdueOpen await a reply (ReplyDue) due before the day asked: the
	// first reply, or one handled again after 不满意. They are not counted
	// OnTime, Late or NoDeadline even if replied before.
	OverdueOpen int
	// The deputies' verdicts; Unrated none yet.
	Satisfied, BasicallySatisfied, Dissatisfied, Unrated int
	// DaysToReply adds up the days from submission to first reply over
	// the replied.
	DaysToReply float64
}

// HandlingPaths are the stored fields Handling.Add reads, in its order:
// all derived at write time, so a grouping by them counts the rates.
var HandlingPaths = []string{"status", "onTime", "replyDue", "satisfaction", "daysToReply"}

// Add counts n suggestions holding values (as stored at HandlingPaths) as
// of the day today.
func (h *Handling) Add(values []any, n int, today Date) {
	h.Total += n
	status, _ := values[0].(string)
	switch SuggestionStatus(status) {
	case SUBMITTED, ACCEPTED, RETURNED:
		h.Unassigned += n
	case ASSIGNED, REOPENED:
		h.Open += n
	case REJECTED:
		h.Rejected += n
	}
	d, replied := Number(values[4])
	if replied {
		h.Replied += n
		h.DaysToReply += d * float64(n)
	}
	if due, ok := values[2].(string); ok && Date(due) < today {
		h.OverdueOpen += n
	} else if replied {
		switch values[1] {
		case true:
			h.OnTime += n
		case false:
			h.Late += n
		default:
			h.NoDeadline += n
		}
	}
	switch sat, _ := values[3].(string); Satisfaction(sat) {
	case SATISFIED:
		h.Satisfied += n
	case BASICALLY_SATISFIED:
		h.BasicallySatisfied += n
	case DISSATISFIED:
		h.Dissatisfied += n
	default:
		h.Unrated += n
	}
}

// Merge adds o's counts to h.
func (h *Handling) Merge(o *Handling) {
	h.Total += o.Total
	h.Unassigned += o.Unassigned
	h.Open += o.Open
	h.Rejected += o.Rejected
	h.Replied += o.Replied
	h.OnTime += o.OnTime
	h.Late += o.Late
	h.NoDeadline += o.NoDeadline
	h.OverdueOpen += o.OverdueOpen
	h.Satisfied += o.Satisfied
	h.BasicallySatisfied += o.BasicallySatisfied
	h.Dissatisfied += o.Dissatisfied
	h.Unrated += o.Unrated
	h.DaysToReply += o.DaysToReply
}

// Assigned are the suggestions given to a department to handle: all but
// the rejected and those not yet assigned.
func (h *Handling) Assigned() int { return h.Total - h.Rejected - h.Unassigned }

// HandlingRate (办复率) is Replied over Assigned (已办复件数/交办件数); nil
// when none was assigned.
func (h *Handling) HandlingRate() *float64 { return ratio(h.Replied, h.Assigned()) }

// OnTimeRate (按期答复率) is OnTime over those whose deadline has come:
// OnTime + Late + OverdueOpen; nil if none.
func (h *Handling) OnTimeRate() *float64 { return ratio(h.OnTime, h.OnTime+h.Late+h.OverdueOpen) }

// SatisfiedRate (满意率) is (SATISFIED + BASICALLY_SATISFIED) over those
// rated; nil if none.
func (h *Handling) SatisfiedRate() *float64 {
	return ratio(h.Satisfied+h.BasicallySatisfied, h.Satisfied+h.BasicallySatisfied+h.Dissatisfied)
}

// AverageDaysToReply averages the days to the first reply; nil if none
// replied.
func (h *Handling) AverageDaysToReply() *float64 {
	if h.Replied == 0 {
		return nil
	}
	a := h.DaysToReply / float64(h.Replied)
	return &a
}

func ratio(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := float64(a) / float64(b)
	return &r
}

// values are a replay's values at HandlingPaths, as the suggestion stood
// at the end of the replay's day (a document's date): its status then
// (the last step by that day; SUBMITTED before any), its replies by then
// against the deadlines then in effect, the reply then awaited, and the
// deputy's verdict by then. NewHandlingReport counts them.
func (r replayed) values() []any {
	var onTime, replyDue, satisfaction, daysToReply any
	if r.onTime != nil {
		onTime = *r.onTime
	}
	if r.replyDue != "" {
		replyDue = string(r.replyDue)
	}
	if r.satisfaction != nil {
		satisfaction = string(*r.satisfaction)
	}
	if r.firstReply != "" {
		daysToReply = float64(r.daysToReply)
	}
	return []any{string(r.status), onTime, replyDue, satisfaction, daysToReply}
}
