package config_test

import (
	"strings"
	"testing"

	"github.com/mendhq/mend/internal/config"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// TestAppNameAndIndexGuide checks the defaults and the validation of MEND_APP_NAME and MEND_INDEX_GUIDE.
func TestAppNameAndIndexGuide(t *testing.T) {
	t.Parallel()
	c, err := config.Load(env(nil))
	if err != nil || c.AppName != config.DefaultAppName || c.IndexGuide {
		t.Fatalf("defaults: %q %v, %v", c.AppName, c.IndexGuide, err)
	}
	c, err = config.Load(env(map[string]string{"MEND_APP_NAME": "Garden", "MEND_INDEX_GUIDE": "true"}))
	if err != nil || c.AppName != "Garden" || !c.IndexGuide {
		t.Fatalf("set: %q %v, %v", c.AppName, c.IndexGuide, err)
	}
	for name, kv := range map[string]map[string]string{
		"MEND_APP_NAME":    {"MEND_APP_NAME": strings.Repeat("n", 31)},
		"MEND_INDEX_GUIDE": {"MEND_INDEX_GUIDE": "yes"},
	} {
		if _, err := config.Load(env(kv)); err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%v: error %v, want one naming %s", kv, err, name)
		}
	}
	if _, err := config.Load(env(map[string]string{"MEND_APP_NAME": "Bad\x07name"})); err == nil {
		t.Error("a control character in MEND_APP_NAME was accepted")
	}
}
