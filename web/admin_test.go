package web_test

import (
	"context"
	"testing"
)

// TestConsoleAdmin: an admin creates an account on the 账号 page; a bad
// user name is refused on its field.
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
}
