// Package couple holds couples, their members and invitations: the tenant every shared thing belongs to.
package couple

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/token"
)

// Couple is the shared account of two partners.
type Couple struct {
	ID             string
	Timezone       string
	CheckinWeekday int
	CreatedAt      time.Time
	EndedAt        *time.Time
}

// Member is a user's membership of a couple.
type Member struct {
	CoupleID string
	UserID   string
	Role     string
	JoinedAt time.Time
	LeftAt   *time.Time
}

// TableName names the members table.
func (Member) TableName() string { return "couple_members" }

// Roles a member may record (DESIGN §2.2).
var Roles = map[string]string{"": "Not recorded", "hurt": "I was hurt", "broke_trust": "I broke trust", "prefer_not": "Prefer not to say"}

// Weekdays in the order Go's time.Weekday numbers them.
var Weekdays = []string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// Person is a member as shown to the couple.
type Person struct {
	UserID      string
	DisplayName string
	Role        string
	JoinedAt    time.Time
}

// Membership is the signed-in user's current couple, as every couple-scoped feature sees it.
type Membership struct {
	Couple   Couple
	Me       Person
	Partner  *Person // nil while waiting for the partner
	Location *time.Location
}

// PartnerID is the partner's user id, or "" while the couple waits for the partner.
func (m *Membership) PartnerID() string {
	if m.Partner == nil {
		return ""
	}
	return m.Partner.UserID
}

// Zone is the couple's time zone (UTC when unknown): it decides what "today" and "this week" are.
func (m *Membership) Zone() *time.Location {
	if m.Location == nil {
		return time.UTC
	}
	return m.Location
}

// Status is waiting_for_partner or active (an ended couple has no current membership).
func (m *Membership) Status() string {
	if m.Partner == nil {
		return "waiting_for_partner"
	}
	return "active"
}

// Service manages couples.
type Service struct {
	db    *gorm.DB
	now   func() time.Time
	zones zoneCache
}

// NewService returns a Service over db.
func NewService(db *gorm.DB, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{db: db, now: now}
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// ParseWeekday turns "monday"… into a weekday number, reporting false when unknown.
func ParseWeekday(v string) (int, bool) {
	v = strings.ToLower(strings.TrimSpace(v))
	for i, d := range Weekdays {
		if d == v {
			return i, true
		}
	}
	return 0, false
}

// ValidateSettings checks a time zone and weekday, returning the parsed weekday.
func ValidateSettings(tz, weekday string) (int, error) {
	f := apperr.Form{}
	if _, err := loadZone(tz); err != nil {
		f.Add("timezone", "Choose a time zone such as Europe/London.")
	}
	wd, ok := ParseWeekday(weekday)
	if !ok {
		f.Add("checkin_weekday", "Choose a day of the week.")
	}
	return wd, f.Err()
}

func loadZone(tz string) (*time.Location, error) {
	if tz == "" || strings.EqualFold(tz, "local") || len(tz) > 64 {
		return nil, errors.New("couple: bad zone")
	}
	return time.LoadLocation(tz)
}

// zoneCache keeps the time zones couples use, loaded once: time.LoadLocation reads and parses zone
// data on every call, and Current runs on every signed-in request.
type zoneCache struct{ m sync.Map }

func (z *zoneCache) load(tz string) (*time.Location, error) {
	if loc, ok := z.m.Load(tz); ok {
		return loc.(*time.Location), nil
	}
	loc, err := loadZone(tz)
	if err != nil {
		return nil, err
	}
	z.m.Store(tz, loc)
	return loc, nil
}

// Start creates a couple with the user as its first member.
func (s *Service) Start(ctx context.Context, userID, tz, weekday string) (*Couple, error) {
	wd, err := ValidateSettings(tz, weekday)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	c := &Couple{ID: token.ID(), Timezone: tz, CheckinWeekday: wd, CreatedAt: now}
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(c).Error; err != nil {
			return err
		}
		return tx.Create(&Member{CoupleID: c.ID, UserID: userID, JoinedAt: now}).Error
	})
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return nil, apperr.New(apperr.Conflict, "You are already part of a couple. Leave it first to start a new one.")
	}
	if err != nil {
		return nil, fmt.Errorf("couple: start: %w", err)
	}
	return c, nil
}

// membershipRow is one current member of the user's current couple, with the couple's fields.
type membershipRow struct {
	CoupleID       string
	Timezone       string
	CheckinWeekday int
	CreatedAt      time.Time
	EndedAt        *time.Time
	UserID         string
	DisplayName    string
	Role           string
	JoinedAt       time.Time
}

// currentSQL reads the user's current couple and its current members (one or two rows) at once: it runs
// on every signed-in request. (The couple is found by a subquery; SQLite runs this form about three
// times faster than a self-join of couple_members.)
const currentSQL = `SELECT c.id AS couple_id, c.timezone, c.checkin_weekday, c.created_at, c.ended_at,
	m.user_id, u.display_name, m.role, m.joined_at
FROM couple_members m
JOIN users u ON u.id = m.user_id
JOIN couples c ON c.id = m.couple_id
WHERE m.couple_id = (SELECT couple_id FROM couple_members WHERE user_id = ? AND left_at IS NULL)
	AND m.left_at IS NULL`

// membershipRows runs currentSQL, scanning by hand: it runs on every signed-in request, and GORM's
// reflective Scan cost more than the query itself.
func (s *Service) membershipRows(ctx context.Context, userID string) ([]membershipRow, error) {
	rows, err := s.db.WithContext(ctx).Raw(currentSQL, userID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]membershipRow, 0, 2)
	for rows.Next() {
		var r membershipRow
		if err := rows.Scan(&r.CoupleID, &r.Timezone, &r.CheckinWeekday, &r.CreatedAt, &r.EndedAt, &r.UserID,
			&r.DisplayName, &r.Role, &r.JoinedAt); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Current returns the user's current membership, or nil when they are not in a couple.
func (s *Service) Current(ctx context.Context, userID string) (*Membership, error) {
	rows, err := s.membershipRows(ctx, userID)
	if err != nil {
		return nil, fmt.Errorf("couple: current: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	r := rows[0]
	ms := s.membership(Couple{ID: r.CoupleID, Timezone: r.Timezone, CheckinWeekday: r.CheckinWeekday, CreatedAt: r.CreatedAt,
		EndedAt: r.EndedAt}, Person{})
	for _, p := range rows {
		name, err := s.openName(ctx, p.UserID, p.DisplayName)
		if err != nil {
			return nil, fmt.Errorf("couple: current: %w", err)
		}
		person := Person{UserID: p.UserID, DisplayName: name, Role: p.Role, JoinedAt: p.JoinedAt}
		if p.UserID == userID {
			ms.Me = person
		} else {
			ms.Partner = &person
		}
	}
	return ms, nil
}

// membership is c's membership as me, waiting for the partner, in the couple's time zone (UTC when
// it is unknown).
func (s *Service) membership(c Couple, me Person) *Membership {
	loc, err := s.zones.load(c.Timezone)
	if err != nil {
		loc = time.UTC
	}
	return &Membership{Couple: c, Me: me, Location: loc}
}

// UpdateSettings changes the couple's time zone and check-in weekday.
func (s *Service) UpdateSettings(ctx context.Context, coupleID, tz, weekday string) error {
	wd, err := ValidateSettings(tz, weekday)
	if err != nil {
		return err
	}
	err = s.db.WithContext(ctx).Model(&Couple{}).Where("id = ? AND ended_at IS NULL", coupleID).
		Updates(map[string]any{"timezone": tz, "checkin_weekday": wd}).Error
	if err != nil {
		return fmt.Errorf("couple: settings: %w", err)
	}
	return nil
}

// SetRole records the user's optional role.
func (s *Service) SetRole(ctx context.Context, coupleID, userID, role string) error {
	if _, ok := Roles[role]; !ok {
		return apperr.Fields(map[string]string{"role": "Choose one of the listed options."})
	}
	err := s.db.WithContext(ctx).Model(&Member{}).Where("couple_id = ? AND user_id = ? AND left_at IS NULL", coupleID, userID).
		Update("role", role).Error
	if err != nil {
		return fmt.Errorf("couple: role: %w", err)
	}
	return nil
}

// Location returns the time zone of the couple with id, or apperr.NotFound.
func (s *Service) Location(ctx context.Context, coupleID string) (*time.Location, error) {
	var c Couple
	err := s.db.WithContext(ctx).Select("id", "timezone").Where("id = ?", coupleID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, apperr.NotFoundf("The couple")
	}
	if err != nil {
		return nil, fmt.Errorf("couple: location: %w", err)
	}
	loc, err := loadZone(c.Timezone)
	if err != nil {
		return time.UTC, nil
	}
	return loc, nil
}
