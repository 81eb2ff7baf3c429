package proof

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/testutil"
)

// TestKillNineLosesNoAcknowledgedWrite covers SECURITY I2 on the built binary: several couples write
// every kind of thing at once; mend is killed with SIGKILL at a random moment, at least five times and
// then again until every kind of write has been acknowledged at least once (at most fifteen). After each
// kill the database passes its checks (integrity_check on SQLite) and holds every acknowledged
// registration, and after each restart the API shows every acknowledged agreement, acceptance, check-in
// answer, reflection and moment. With MEND_TEST_ENGINE=postgres mend runs on PostgreSQL: Mend is
// killed, the database server is not.
func TestKillNineLosesNoAcknowledgedWrite(t *testing.T) {
	t.Parallel()
	bin := buildMend(t)
	addr, store := freePort(t), newBinaryStore(t)
	dataDir := store.dataDir
	proc := startMend(t, bin, addr, dataDir, store.env()...)
	f := newFleet(t, "http://"+addr, 5, "crash")
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 9))
	const minRounds, maxRounds = 5, 15
	round := 0
	for round < minRounds || (round < maxRounds && len(f.led.uncovered()) > 0) {
		round++
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		var inFlight atomic.Int64
		for _, p := range f.people {
			wg.Add(1)
			go func(seed uint64) {
				defer wg.Done()
				r := rand.New(rand.NewPCG(seed, 1))
				for ctx.Err() == nil {
					inFlight.Add(1)
					res, _ := f.write(ctx, p, r)
					inFlight.Add(-1)
					if res.Err != nil {
						time.Sleep(5 * time.Millisecond)
					}
				}
			}(rnd.Uint64())
		}
		time.Sleep(time.Duration(300+rnd.IntN(900)) * time.Millisecond)
		writesBefore := f.led.count()
		busy := inFlight.Load()
		if err := proc.stop(t, syscall.SIGKILL); err == nil {
			t.Fatalf("round %d: mend exited cleanly on SIGKILL", round)
		}
		cancel()
		wg.Wait()
		t.Logf("round %d: killed with %d requests in flight after %d acknowledged writes", round, busy, writesBefore)
		checkDatabase(t, store, f.led.registered())
		proc = startMend(t, bin, addr, dataDir, store.env()...)
		f.verify(t)
		if t.Failed() {
			t.Fatalf("round %d: an acknowledged write was lost\nmend's log:\n%s", round, proc.stderr.String())
		}
	}
	if n := f.led.count(); n < 50 {
		t.Fatalf("only %d writes were acknowledged over %d rounds: the test proves too little", n, round)
	}
	for _, kind := range f.led.uncovered() {
		t.Errorf("no %s write was acknowledged in %d rounds: the test does not cover it", kind, round)
	}
	t.Logf("acknowledged writes by kind over %d rounds: %v", round, f.led.kinds)
	if err := proc.stop(t, syscall.SIGTERM); err != nil {
		t.Fatalf("final stop: %v", err)
	}
	checkDatabase(t, store, f.led.registered())
}

func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writes
}

// uncovered is the kinds of write (in write's order) of which none has been acknowledged yet.
func (l *ledger) uncovered() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, kind := range []string{"register", "agreement", "accept", "answer", "reflection", "pause", "moment"} {
		if l.kinds[kind] == 0 {
			out = append(out, kind)
		}
	}
	return out
}

func (l *ledger) registered() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.emails...)
}

// binaryStore is where a built mend under test keeps its data: dataDir on SQLite, or, with
// MEND_TEST_ENGINE=postgres, a PostgreSQL database of the test's own at url (and nothing in dataDir).
type binaryStore struct{ dataDir, url, keysURL, masterKey string }

func newBinaryStore(t *testing.T) binaryStore {
	t.Helper()
	s := binaryStore{dataDir: filepath.Join(t.TempDir(), "data")}
	if testutil.Engine(t) == config.EnginePostgres {
		s.url, s.keysURL = testutil.NewEmptyPostgresURL(t), testutil.NewEmptyPostgresURL(t)
		s.masterKey = base64.StdEncoding.EncodeToString(testutil.NewMasterKey(t))
	}
	return s
}

// env is what mend needs in its environment, besides MEND_DATA_DIR, to use the store.
func (s binaryStore) env() []string {
	if s.url == "" {
		return nil
	}
	return []string{"MEND_DATABASE_URL=" + s.url, "MEND_SECRET_KEY=" + testutil.TestSecret, "MEND_KEYSTORE_URL=" + s.keysURL,
		"MEND_MASTER_KEY=" + s.masterKey}
}

// checkDatabase opens the stopped server's database as the next start would (on SQLite recovering the
// WAL, and running integrity_check), runs the start-up checks, and checks every acknowledged
// registration is present.
func checkDatabase(t *testing.T, store binaryStore, emails []string) {
	t.Helper()
	if store.url != "" {
		db, err := database.OpenPostgres(context.Background(), store.url, nil)
		if err != nil {
			t.Fatalf("open after stop: %v", err)
		}
		defer database.Close(db)
		checkStored(t, db, emails)
		return
	}
	db, err := database.Open(filepath.Join(store.dataDir, "mend.db"), nil)
	if err != nil {
		t.Fatalf("open after stop: %v", err)
	}
	defer database.Close(db)
	var res []string
	if err := db.Raw("PRAGMA integrity_check").Scan(&res).Error; err != nil || len(res) != 1 || res[0] != "ok" {
		t.Fatalf("integrity_check: %v %v", res, err)
	}
	checkStored(t, db, emails)
}

// checkStored runs the start-up checks on db and checks every acknowledged registration is in it.
func checkStored(t *testing.T, db *gorm.DB, emails []string) {
	t.Helper()
	if err := database.Check(context.Background(), db); err != nil {
		t.Fatalf("check: %v", err)
	}
	var found []string
	if len(emails) > 0 {
		if err := db.Raw("SELECT email FROM users WHERE email IN ?", emails).Scan(&found).Error; err != nil {
			t.Fatalf("users: %v", err)
		}
	}
	if len(found) != len(emails) {
		have := map[string]bool{}
		for _, e := range found {
			have[e] = true
		}
		for _, e := range emails {
			if !have[e] {
				t.Errorf("acknowledged registration %s is missing", e)
			}
		}
	}
}

// TestSIGTERMDrainsInFlightWrites covers SECURITY I8 on the built binary: sixteen registrations are on
// the wire (each connection accepted, the password hashing queue full) when SIGTERM arrives; every one
// completes with 201, mend exits 0 having logged a clean stop, and all sixteen accounts are in the
// database afterwards.
func TestSIGTERMDrainsInFlightWrites(t *testing.T) {
	t.Parallel()
	bin := buildMend(t)
	addr, store := freePort(t), newBinaryStore(t)
	proc := startMend(t, bin, addr, store.dataDir, store.env()...)
	const n = 16
	var dialled sync.WaitGroup
	dialled.Add(n)
	var wg sync.WaitGroup
	results := make([]netResponse, n)
	emails := make([]string, n)
	for i := range n {
		emails[i] = fmt.Sprintf("drain-%d@example.org", i)
		c := newNetClient("http://" + addr)
		var once sync.Once
		c.hc.Transport.(*http.Transport).DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
			conn, err := (&net.Dialer{}).DialContext(ctx, network, a)
			once.Do(dialled.Done)
			return conn, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = c.send(context.Background(), http.MethodPost, "/api/v1/auth/register",
				map[string]string{"email": emails[i], "display_name": "Drain", "password": password})
		}()
	}
	dialled.Wait()
	// Let the server read every request: a connection whose request has not been read yet is idle, and a
	// draining server rightly closes idle connections. 50 ms was too short on a loaded 2-core CI machine.
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	err := proc.stop(t, syscall.SIGTERM)
	wg.Wait()
	var exit *exec.ExitError
	if errors.As(err, &exit) || err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, proc.stderr.String())
	}
	for i, r := range results {
		if r.Err != nil || r.Status != http.StatusCreated {
			t.Errorf("in-flight registration %d: %d %v %s", i, r.Status, r.Err, r.Body)
		}
	}
	if !strings.Contains(proc.stderr.String(), `"msg":"stopped"`) {
		t.Errorf("no clean stop in the log:\n%s", proc.stderr.String())
	}
	t.Logf("drained %d requests in %v", n, time.Since(start))
	checkDatabase(t, store, emails)
	if c := newNetClient("http://" + addr); c.send(context.Background(), http.MethodGet, "/healthz", nil).Err == nil {
		t.Error("something still answers after mend stopped")
	}
}
