package bench

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/config"
	"github.com/mendhq/mend/internal/database"
	"github.com/mendhq/mend/internal/token"
)

// ceilingRow is the one table of the ceiling server.
type ceilingRow struct {
	ID        string    `json:"id"`
	Owner     string    `json:"owner"`
	Body      string    `json:"body"`
	CreatedAt time.Time `json:"created_at"`
}

// DefaultCeilingRows is how many rows the ceiling's table starts with.
const DefaultCeilingRows = 100_000

// ServeCeiling serves the ceiling on addr until ctx ends: a bare Fiber + GORM server over the
// database at where (an SQLite file path, or a postgres:// URL), opened exactly as Mend opens its own
// (database.Open: the same DSN pragmas and pool; database.OpenPostgres: the same pool). Its table
// starts with rows rows; GET /rows/:n reads row n by its primary key; POST /rows inserts one row.
// GET /healthz answers once the table is ready.
func ServeCeiling(ctx context.Context, addr, where string, rows int) error {
	var db *gorm.DB
	var err error
	if (config.Config{DatabaseURL: where}).Engine() == config.EnginePostgres {
		db, err = database.OpenPostgres(ctx, where, nil)
	} else {
		db, err = database.Open(where, nil)
	}
	if err != nil {
		return err
	}
	defer database.Close(db)
	if err := prepareCeiling(ctx, db, rows); err != nil {
		return err
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/healthz", func(c *fiber.Ctx) error { return c.JSON(fiber.Map{"status": "ok"}) })
	app.Get("/rows/:n", func(c *fiber.Ctx) error {
		var row ceilingRow
		if err := db.WithContext(c.UserContext()).Where("id = ?", "r"+c.Params("n")).Take(&row).Error; err != nil {
			return fiber.ErrNotFound
		}
		return c.JSON(fiber.Map{"row": row})
	})
	app.Post("/rows", func(c *fiber.Ctx) error {
		var in struct {
			Owner string `json:"owner"`
			Body  string `json:"body"`
		}
		if err := c.BodyParser(&in); err != nil {
			return fiber.ErrBadRequest
		}
		row := ceilingRow{ID: token.ID(), Owner: in.Owner, Body: in.Body, CreatedAt: time.Now().UTC()}
		if err := db.WithContext(c.UserContext()).Create(&row).Error; err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"row": row})
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return err
	}
	return <-errc
}

// prepareCeiling creates the ceiling's table and fills it once, in one transaction.
func prepareCeiling(ctx context.Context, db *gorm.DB, n int) error {
	db = db.WithContext(ctx)
	schema := ceilingTableSQLite
	if database.EngineOf(db) == config.EnginePostgres {
		schema = ceilingTablePostgres
	}
	if err := db.Exec(schema).Error; err != nil {
		return fmt.Errorf("bench: ceiling schema: %w", err)
	}
	if err := db.Exec(`CREATE INDEX IF NOT EXISTS ceiling_rows_owner ON ceiling_rows(owner)`).Error; err != nil {
		return fmt.Errorf("bench: ceiling schema: %w", err)
	}
	var have int64
	if err := db.Model(&ceilingRow{}).Count(&have).Error; err != nil || have > 0 {
		return err
	}
	return db.Transaction(func(tx *gorm.DB) error {
		now := time.Now().UTC()
		rows := make([]ceilingRow, 0, 1000)
		for i := 0; i < n; i++ {
			rows = append(rows, ceilingRow{ID: "r" + strconv.Itoa(i), Owner: "o" + strconv.Itoa(i%2000), Body: sampleText, CreatedAt: now})
			if len(rows) == cap(rows) {
				if err := tx.CreateInBatches(rows, 200).Error; err != nil {
					return fmt.Errorf("bench: ceiling rows: %w", err)
				}
				rows = rows[:0]
			}
		}
		if len(rows) > 0 {
			return tx.CreateInBatches(rows, 200).Error
		}
		return nil
	})
}

// sampleText is the text of seeded and written answers: a plausible paragraph, not Lorem ipsum.
const sampleText = "We talked on Sunday evening without phones, and I felt listened to when you asked what the week had been like for me. I'd like us to keep that time."
