// Package bench measures a running Mend server under load (issue 9): it seeds a realistic database
// through Mend's own services, starts `mend serve` and a bare Fiber + GORM + SQLite ceiling as separate
// processes, drives them with vegeta and reports every Mend figure as a ratio of the ceiling.
package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/account"
	"github.com/mendhq/mend/internal/couple"
	"github.com/mendhq/mend/internal/token"
)

// Password is the password of every seeded user. It is hashed once per seeding run.
const Password = "bench-password-not-for-real-use"

// Shape is how much history each seeded couple has.
type Shape struct {
	Couples    int
	Weeks      int // opened check-in weeks before the current one
	Agreements int
	Versions   int // versions per agreement
	Moments    int
}

// DefaultShape is the realistic couple: 26 weeks of opened check-ins, 8 agreements with 3
// versions each, the plan and 40 moments.
func DefaultShape(couples int) Shape {
	return Shape{Couples: couples, Weeks: 26, Agreements: 8, Versions: 3, Moments: 40}
}

// Member is one seeded user.
type Member struct {
	ID    string
	Email string
}

// Couple is one seeded couple; Zone is its IANA time zone.
type Couple struct {
	ID      string
	Zone    string
	Members [2]Member
	// Agreements holds the ids of the couple's agreements (empty until that feature is seeded).
	Agreements []string
}

// Dataset is a seeded database: Seeded couples written through the services, in Copies keyed copies
// (1: none) when Shape.Couples is more than Seeded.
type Dataset struct {
	Path string
	// Plain is the database's plaintext before it was sealed (sealDataset), the source of its keyed
	// copies.
	Plain string `json:"-"`
	// MasterKey is the master key of its key store (keys/ in its dir), as MEND_MASTER_KEY takes it,
	// on PostgreSQL, where the key store was copied to KeysURL.
	MasterKey string `json:"-"`
	// URL is the PostgreSQL database the data set was copied into, on PostgreSQL, and KeysURL the
	// key store its mend processes use (MEND_KEYSTORE_URL), a copy of its own.
	URL     string `json:"-"`
	KeysURL string `json:"-"`
	Shape   Shape
	Seeded  int
	Copies  int
	Couples []Couple
	Took    time.Duration
}

// zones the seeded couples live in, so week boundaries differ between couples as they would.
var zones = []string{"Europe/London", "America/New_York", "Europe/Berlin", "Australia/Sydney", "America/Los_Angeles", "Asia/Kolkata"}

// seedClock is the settable clock the services see while a couple's history is written.
type seedClock struct{ t time.Time }

func (c *seedClock) Now() time.Time { return c.t }

// seedEnv is what a feature seeder works with: Mend's services over the current batch's transaction,
// the clock they read, the real "now" the history ends at, and a deterministic random source.
type seedEnv struct {
	ctx     context.Context
	tx      *gorm.DB
	clock   *seedClock
	now     time.Time
	shape   Shape
	rng     *rand.Rand
	couples *couple.Service
	// svc holds the feature services built by the feature seeders' setup functions, by name.
	svc map[string]any
}

// batchSize is how many couples share one transaction: with synchronous=FULL each commit is an
// fsync, so seeding writes in large transactions.
const batchSize = 100

// seedInto fills the migrated database db, on either engine, as Seed describes; the Dataset it returns
// has no Path.
func seedInto(ctx context.Context, db *gorm.DB, shape Shape, first int, now time.Time, progress func(done int)) (*Dataset, error) {
	phc, err := account.NewService(db, account.Options{}).Hasher().Hash(ctx, Password)
	if err != nil {
		return nil, fmt.Errorf("bench: hash: %w", err)
	}
	ds := &Dataset{Shape: shape, Seeded: shape.Couples, Copies: 1}
	rng := rand.New(rand.NewPCG(uint64(first), 9))
	for done := 0; done < shape.Couples; {
		n := min(batchSize, shape.Couples-done)
		err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			env := newSeedEnv(ctx, tx, now, shape, rng)
			for i := done; i < done+n; i++ {
				c, err := env.seedCouple(first+i, phc)
				if err != nil {
					return fmt.Errorf("bench: seed couple %d: %w", first+i, err)
				}
				ds.Couples = append(ds.Couples, *c)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		done += n
		if progress != nil {
			progress(done)
		}
	}
	return ds, nil
}

func newSeedEnv(ctx context.Context, tx *gorm.DB, now time.Time, shape Shape, rng *rand.Rand) *seedEnv {
	clk := &seedClock{t: now}
	env := &seedEnv{ctx: ctx, tx: tx, clock: clk, now: now, shape: shape, rng: rng, svc: map[string]any{},
		couples: couple.NewService(tx, clk.Now)}
	for _, f := range featureSeeders {
		if f.setup != nil {
			env.svc[f.name] = f.setup(env)
		}
	}
	return env
}

// seedCouple registers two partners, starts their couple half a year ago, joins them with an invite,
// then lets every feature seeder write the couple's history.
func (e *seedEnv) seedCouple(i int, phc string) (*Couple, error) {
	e.clock.t = e.now.AddDate(0, 0, -7*(e.shape.Weeks+2))
	c := &Couple{Zone: zones[i%len(zones)]}
	for k, who := range []string{"a", "b"} {
		email := fmt.Sprintf("c%d-%s@bench.example.org", i, who)
		// Seeded users share one argon2id hash instead of paying ~50 ms each, so they are written
		// straight to the table rather than through account.Service.Register.
		t := e.clock.Now().UTC()
		u := &account.User{ID: token.ID(), Email: email, DisplayName: fmt.Sprintf("Partner %s%d", who, i), PasswordHash: phc, CreatedAt: t, UpdatedAt: t}
		if err := e.tx.WithContext(e.ctx).Create(u).Error; err != nil {
			return nil, fmt.Errorf("bench: seed user: %w", err)
		}
		c.Members[k] = Member{ID: u.ID, Email: email}
	}
	cp, err := e.couples.Start(e.ctx, c.Members[0].ID, c.Zone, couple.Weekdays[i%7])
	if err != nil {
		return nil, err
	}
	c.ID = cp.ID
	tok, _, err := e.couples.CreateInvite(e.ctx, c.ID, c.Members[0].ID)
	if err != nil {
		return nil, err
	}
	e.clock.t = e.clock.t.Add(time.Hour)
	if _, err := e.couples.Join(e.ctx, c.Members[1].ID, tok); err != nil {
		return nil, err
	}
	for _, f := range featureSeeders {
		if err := f.seed(e, c); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
	}
	return c, nil
}

// membership returns the current membership of one of c's members, as a handler would see it.
func (e *seedEnv) membership(userID string) (*couple.Membership, error) {
	m, err := e.couples.Current(e.ctx, userID)
	if err != nil {
		return nil, err
	}
	if m == nil {
		return nil, fmt.Errorf("user %s has no couple", userID)
	}
	return m, nil
}
