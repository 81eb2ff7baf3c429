package bench

import "strings"

// keyColumn reports whether a column holds a key that a copy must make new: ids, references to ids,
// and the values unique indexes are on (emails, token hashes, throttle keys).
func keyColumn(name string) bool {
	return name == "id" || name == "email" || name == "hash" || name == "token_hash" || name == "key" ||
		strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_by")
}

// cloneCouples returns c as the keyed copy with suffix makes it.
func cloneCouples(cs []Couple, suffix string) []Couple {
	out := make([]Couple, len(cs))
	for i, c := range cs {
		n := Couple{ID: c.ID + suffix, Zone: c.Zone}
		for k, m := range c.Members {
			n.Members[k] = Member{ID: m.ID + suffix, Email: strings.Replace(m.Email, "@", suffix+"@", 1)}
		}
		for _, a := range c.Agreements {
			n.Agreements = append(n.Agreements, a+suffix)
		}
		out[i] = n
	}
	return out
}
