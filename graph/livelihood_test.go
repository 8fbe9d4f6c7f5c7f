package graph_test

import (
	"fmt"
	"testing"
)

// TestLivelihoodProject takes a livelihood vote through its life over the
// API: candidates, the ballot (6 of 8 by ranking), adopted, milestones,
// the satisfaction vote.
func TestLivelihoodProject(t *testing.T) {
	c := MustClient(t)
	f := MustFixture(c, 4)
	var s struct{ CreateSession struct{ ID string } }
	c.MustDo(`mutation($t: ID!) { createSession(input: {township: $t, term: 18, sitting: 3, start: "2024-01-10", deputyCount: 37,
		agendaItems: [{order: 1, title: "票决2024年度民生实事项目", kind: LIVELIHOOD_VOTE}]}) { id } }`, map[string]any{"t": f.Township}, &s)
	create := `mutation($in: CreateLivelihoodProjectInput!) { createLivelihoodProject(input: $in) { id } }`
	var ids []string
	for i, yes := range []int{36, 35, 33, 30, 26, 19, 18, 12} {
		var out struct{ CreateLivelihoodProject struct{ ID string } }
		c.MustDo(create, map[string]any{"in": map[string]any{"township": f.Township, "year": 2024, "name": fmt.Sprintf("候选项目%d", i+1),
			"source": "群众征集", "investment": 50.0 + float64(i), "ownerDepartment": "镇村建办", "sessionId": s.CreateSession.ID,
			"completionDate": map[string]any{"date": "2024-10-01", "precision": "MONTH"}}}, &out)
		ids = append(ids, out.CreateLivelihoodProject.ID)
		c.MustDo(`mutation($id: ID!, $b: LivelihoodBallotInput) { updateLivelihoodProject(id: $id, input: {ballot: $b}) { id } }`,
			map[string]any{"id": ids[i], "b": map[string]any{"method": "RANKING", "deputies": 37, "candidates": 8, "seats": 6, "yes": yes, "rank": i + 1}}, nil)
	}
	c.MustDo(`mutation($id: ID!, $s: ID!, $i: [ID!]) { updateLivelihoodProject(id: $id, input: {
		milestones: [{date: {date: "2024-05-01", precision: MONTH}, title: "开工", progress: 40, projectIds: $i}, {date: {date: "2024-10-01", precision: MONTH}, title: "完工", progress: 100}],
		satisfaction: {sessionId: $s, satisfied: 30, basicallySatisfied: 4, dissatisfied: 1}}) { id } }`,
		map[string]any{"id": ids[0], "s": s.CreateSession.ID, "i": []string{}}, nil)
	var out struct {
		LivelihoodProjects struct {
			TotalCount int
			Nodes      []struct {
				Name     string
				Adopted  bool
				Progress int
				Ballot   struct {
					Rule   string
					Needed int
				}
				Session      struct{ Title string }
				Satisfaction *struct {
					Total int
					Rate  float64
				}
			}
		}
	}
	c.MustDo(`query($t: ID) { livelihoodProjects(township: $t, orderBy: [{field: VOTES, direction: DESC}]) { totalCount nodes {
		name adopted progress ballot { rule needed } session { title } satisfaction { total rate } } } }`, map[string]any{"t": f.Township}, &out)
	var adopted []bool
	for _, n := range out.LivelihoodProjects.Nodes {
		adopted = append(adopted, n.Adopted)
	}
	if want := "[true true true true true true false false]"; fmt.Sprint(adopted) != want {
		t.Errorf("adopted %v, want %s (19 of 37 is a majority, but rank 6 is in; 18 is not)", adopted, want)
	}
	first := out.LivelihoodProjects.Nodes[0]
	if first.Progress != 100 || first.Ballot.Needed != 19 || first.Ballot.Rule == "" || first.Session.Title == "" ||
		first.Satisfaction == nil || first.Satisfaction.Total != 35 || first.Satisfaction.Rate < 0.97 {
		t.Errorf("first: %+v", first)
	}
	c.MustFail(`mutation($id: ID!) { updateLivelihoodProject(id: $id, input: {ballot: {deputies: 37, yes: 30, no: 8}}) { id } }`,
		map[string]any{"id": ids[1]}, "BAD_USER_INPUT", "input.ballot.yes")
}
