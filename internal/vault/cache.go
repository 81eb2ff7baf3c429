package vault

import (
	"crypto/cipher"
	"sync"
)

// maxCached bounds the unwrapped data keys one process keeps.
const maxCached = 4096

// cache keeps unwrapped data keys in memory, by key id and by owner, so a hot read does not go to the
// key store and unwrap again. That is fine for what encryption at rest is for: shredding is about the
// copies at rest (the database, its backups, the key store), and the live process holds the master key
// anyway. Shred forgets an owner's key here as it deletes it from the key store; another instance
// forgets it when its cache is next emptied, and the person's rows are gone from the live database by
// then. When full, the cache is emptied, which keeps it bounded without bookkeeping.
type cache struct {
	mu      sync.Mutex
	max     int
	byID    map[string]cachedKey
	byOwner map[Owner]string
}

type cachedKey struct {
	owner Owner
	aead  cipher.AEAD
}

func newCache(max int) *cache {
	return &cache{max: max, byID: map[string]cachedKey{}, byOwner: map[Owner]string{}}
}

func (c *cache) get(id string) (cipher.AEAD, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k, ok := c.byID[id]
	return k.aead, ok
}

func (c *cache) owned(o Owner) (string, cipher.AEAD, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.byOwner[o]
	if !ok {
		return "", nil, false
	}
	return id, c.byID[id].aead, true
}

func (c *cache) put(id string, o Owner, aead cipher.AEAD) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byID) >= c.max {
		c.byID, c.byOwner = map[string]cachedKey{}, map[Owner]string{}
	}
	c.byID[id] = cachedKey{owner: o, aead: aead}
	c.byOwner[o] = id
}

func (c *cache) forgetOwner(o Owner) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id, ok := c.byOwner[o]; ok {
		delete(c.byID, id)
		delete(c.byOwner, o)
	}
}

// clear forgets every key (after a rotation, the wrapped forms changed; the keys did not, but a
// fresh start costs little).
func (c *cache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.byID, c.byOwner = map[string]cachedKey{}, map[Owner]string{}
}
