package database

import (
	"errors"
	"strings"
	"testing"
)

// TestRoleJudgement checks which PostgreSQL roles the start-up check refuses (SECURITY M2): a role
// that owns Mend's schema and nothing more passes; superusers, role creators, replication roles, roles
// that reach the server's files and roles that may create objects in other roles' schemas do not.
func TestRoleJudgement(t *testing.T) {
	t.Parallel()
	fit := roleFacts{Name: "mend", Schema: "public", SearchPath: `"$user", public`}
	for _, tc := range []struct {
		name   string
		change func(*roleFacts)
		want   string // "" for a role that passes
	}{
		{"own schema only", func(*roleFacts) {}, ""},
		{"superuser", func(f *roleFacts) { f.Superuser = true }, "superuser"},
		{"creates roles", func(f *roleFacts) { f.CreateRole = true }, "CREATEROLE"},
		{"replication", func(f *roleFacts) { f.Replication = true }, "REPLICATION"},
		{"server programs", func(f *roleFacts) { f.ServerFiles = []string{"pg_execute_server_program"} }, "pg_execute_server_program"},
		{"another role's schema", func(f *roleFacts) { f.Foreign = []string{"billing"} }, "billing"},
		{"no schema", func(f *roleFacts) { f.Schema, f.SearchPath = "", "nowhere" }, "no schema"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f := fit
			tc.change(&f)
			err := f.judge()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("judge = %v, want a refusal saying %q", err, tc.want)
			}
			if tc.want != "no schema" && (!errors.Is(err, ErrRoleTooPowerful) || !strings.Contains(err.Error(), "README")) {
				t.Fatalf("judge = %v, want ErrRoleTooPowerful pointing at the README", err)
			}
		})
	}
}

// TestRoleAdvice: a role that may create databases is let through (judge) with a warning (advice) that
// says how to take the right away; a role without it gets no warning.
func TestRoleAdvice(t *testing.T) {
	t.Parallel()
	f := roleFacts{Name: "mend", Schema: "public", SearchPath: "public"}
	if a := f.advice(); len(a) != 0 {
		t.Errorf("advice for a role with no extra rights: %v", a)
	}
	f.CreateDB = true
	if err := f.judge(); err != nil {
		t.Errorf("a role with CREATEDB was refused: %v", err)
	}
	if a := f.advice(); len(a) != 1 || !strings.Contains(a[0], "CREATEDB") || !strings.Contains(a[0], "NOCREATEDB") {
		t.Errorf("advice for a role with CREATEDB: %v", a)
	}
}
