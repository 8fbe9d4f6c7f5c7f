package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// TestConsoleAdmin: an admin creates an account on the 账号 page; a bad
// user name is refused on its field. Then an API key for a dashboard: its
// secret is shown once and answers the API; revoked, it no longer does.
func TestConsoleAdmin(t *testing.T) {
	srv := MustServer(t, true)
	b := MustBrowser(t, srv)
	MustLogin(t, b, "admin", "县人大管理员")
	b.Click(`[data-test=nav] a`, "账号")
	b.WaitText(`[data-test=accounts] .el-table__row`, "clerk")
	b.Fill(`[data-item=username] input`, "Bad Name!")
	b.Fill(`[data-item=name] input`, "李文书")
	b.Fill(`[data-item=password] input`, "一个足够长的初始密码-Ab1")
	b.Choose(`[data-item=townships] .el-select__wrapper`, "棋盘山镇")
	b.Click(`[data-test=create-account]`, "")
	b.WaitText(`[data-item=username] .el-form-item__error`, "用户名为 2 到 40 个小写字母")
	b.Fill(`[data-item=username] input`, "clerk2")
	b.Click(`[data-test=create-account]`, "")
	b.WaitText(`[data-test=accounts] .el-table__row`, "李文书")
	b.Shot("admin")
	a, err := srv.Store.Credentials.Account(context.Background(), "clerk2")
	if err != nil {
		t.Fatal(err)
	}
	if a.Name != "李文书" || len(a.Townships) != 1 || a.Townships[0] != "qps" {
		t.Errorf("created account: %+v, want 李文书, editor of qps", a)
	}

	b.Fill(`[data-item=key-name] input`, "县人大统计大屏")
	b.Click(`[data-test=create-key]`, "")
	b.WaitText(`[data-test=new-key-secret]`, "只显示这一次")
	key := strings.TrimSpace(b.Text(`[data-test=new-key-secret] .secret`))
	b.WaitText(`[data-test=keys] .el-table__row`, "县人大统计大屏")
	b.Shot("admin-key")
	ask := func() (int, string) {
		req, _ := http.NewRequest("POST", srv.URL+"/graphql", strings.NewReader(`{"query":"{ me { name role } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+key)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(body)
	}
	if code, body := ask(); code != 200 || !strings.Contains(body, "VIEWER") {
		t.Fatalf("the new key %q: %d %s, want a viewer's answer", key, code, body)
	}
	b.Click(`[data-revoke="县人大统计大屏"]`, "吊销")
	b.Click(`.el-message-box__btns .el-button--primary`, "吊销")
	b.WaitText(`[data-test=keys] .el-table__row`, "已吊销")
	if code, body := ask(); code == 200 && strings.Contains(body, "VIEWER") {
		t.Errorf("the revoked key still answers: %d %s", code, body)
	}
}
