package server

import (
	"github.com/gofiber/fiber/v2"

	"github.com/mendhq/mend/internal/apperr"
	"github.com/mendhq/mend/internal/plan"
)

// momentsPageData is what moments.html shows.
type momentsPageData struct {
	Section    string
	Moments    []momentView
	Kinds      []option
	Partner    string
	HasPartner bool
	Today      string
	Saved      bool
}

type momentView struct {
	plan.Moment
	KindLabel string
	Mine      bool
}

func (s *Server) momentsView(c *fiber.Ctx) (*view, error) {
	m := membership(c)
	sc := planScope(m)
	list, err := s.plan.Moments(c.UserContext(), sc)
	if err != nil {
		return nil, err
	}
	d := &momentsPageData{Section: "moments", Partner: partnerName(m), HasPartner: m.Partner != nil, Today: s.plan.Today(sc),
		Saved: c.Query("saved") == "1"}
	for _, k := range plan.MomentKinds {
		d.Kinds = append(d.Kinds, option{k.Key, k.Label})
	}
	for _, x := range list {
		d.Moments = append(d.Moments, momentView{Moment: x, KindLabel: plan.MomentKindLabel(x.Kind), Mine: x.Mine(m.Me.UserID)})
	}
	v := s.newView(c, "Moments")
	v.Nav = "plan"
	v.Form = map[string]string{"kind": "kindness", "on": d.Today}
	v.Data = d
	return v, nil
}

func (s *Server) momentsPage(c *fiber.Ctx) error {
	v, err := s.momentsView(c)
	if err != nil {
		return err
	}
	return s.render(c, "moments", v)
}

func (s *Server) momentAddSubmit(c *fiber.Ctx) error {
	in := plan.MomentInput{Kind: c.FormValue("kind"), On: c.FormValue("on"), Note: c.FormValue("note"), Shared: c.FormValue("shared") == "1"}
	_, err := s.plan.AddMoment(c.UserContext(), planScope(membership(c)), in)
	if apperr.Is(err, apperr.Invalid) {
		v, verr := s.momentsView(c)
		if verr != nil {
			return verr
		}
		for _, k := range []string{"kind", "on", "note", "shared"} {
			v.Form[k] = c.FormValue(k)
		}
		return s.renderForm(c, "moments", v, err)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/moments?saved=1", fiber.StatusSeeOther)
}

func (s *Server) momentShareSubmit(c *fiber.Ctx) error {
	if _, err := s.plan.ShareMoment(c.UserContext(), planScope(membership(c)), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/moments", fiber.StatusSeeOther)
}

func (s *Server) momentDeleteSubmit(c *fiber.Ctx) error {
	if err := s.plan.DeleteMoment(c.UserContext(), planScope(membership(c)), c.Params("id")); err != nil {
		return err
	}
	return c.Redirect("/moments", fiber.StatusSeeOther)
}
