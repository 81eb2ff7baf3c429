// Package mail writes and sends Mend's e-mail. Every message is one of a few fixed texts (SECURITY
// L1): a neutral subject and body, a link to the base URL, and never a partner's name, anything a
// person wrote, or a word that says what Mend is for. Only a confirmation or reset message carries a
// link with a secret in it.
package mail

import (
	"fmt"
	"strings"
)

// Kind is what a message is for.
type Kind string

// The kinds of message Mend sends.
const (
	// Reminder is the weekly reminder a person asked for.
	Reminder Kind = "reminder"
	// Updates says that something new is waiting (at most one a day).
	Updates Kind = "updates"
	// ConfirmEmail carries the single-use link that confirms the address.
	ConfirmEmail Kind = "confirm_email"
	// SignInAlert says that a new device signed in to the account.
	SignInAlert Kind = "sign_in_alert"
	// PasswordReset carries the single-use link that sets a new password.
	PasswordReset Kind = "password_reset"
	// PasswordNotice says that the password was just set with a reset link.
	PasswordNotice Kind = "password_notice"
)

// Kinds lists every kind, in the order the outbox table's check names them.
var Kinds = []Kind{Reminder, Updates, ConfirmEmail, SignInAlert, PasswordReset, PasswordNotice}

// NeedsLink reports whether a kind's message carries a single-use secret link.
func (k Kind) NeedsLink() bool { return k == ConfirmEmail || k == PasswordReset }

// Message is one e-mail ready to send.
type Message struct {
	To      string
	Kind    Kind
	Subject string
	Text    string
}

type text struct{ subject, body string }

// texts are the only words Mend ever e-mails. %s is the link: the base URL, or for the kinds that
// need one, the single-use link.
var texts = map[Kind]text{
	Reminder: {"A reminder", `Hello,

This is the reminder you asked for. It will keep until you have a moment.

%s

You can change or turn off these messages in your settings after signing in.
`},
	Updates: {"Something new is waiting for you", `Hello,

Something new is waiting for you.

%s

You can change or turn off these messages in your settings after signing in.
`},
	ConfirmEmail: {"Confirm your address", `Hello,

Someone asked to confirm this address. If it was you, open this link within 24 hours:

%s

If it was not you, you can ignore this message.
`},
	SignInAlert: {"A new sign-in", `Hello,

A new device signed in to your account. If this was you, there is nothing to do.
If it was not, sign in and review your sessions:

%s
`},
	PasswordReset: {"Your link", `Hello,

Someone asked for a link to choose a new password. If it was you, open this link within 30 minutes:

%s

If it was not you, you can ignore this message: nothing has changed.
`},
	PasswordNotice: {"Your password was changed", `Hello,

The password of your account was just set again with a link sent to this address, and every device
was signed out. If this was you, there is nothing to do.
If it was not, ask whoever runs this service for help right away:

%s
`},
}

// Compose returns the message of kind for address to. link is the single-use link for the kinds that
// need one (NeedsLink) and must be empty for the others, whose link is always the bare base URL.
func Compose(kind Kind, to, baseURL, link string) (Message, error) {
	t, ok := texts[kind]
	if !ok {
		return Message{}, fmt.Errorf("mail: unknown kind %q", kind)
	}
	if kind.NeedsLink() != (link != "") {
		return Message{}, fmt.Errorf("mail: %s: a link is %s", kind, map[bool]string{true: "required", false: "not allowed"}[kind.NeedsLink()])
	}
	if link == "" {
		link = strings.TrimRight(baseURL, "/") + "/"
	}
	if !strings.HasPrefix(link, strings.TrimRight(baseURL, "/")+"/") {
		return Message{}, fmt.Errorf("mail: %s: the link must start with the base URL", kind)
	}
	return Message{To: to, Kind: kind, Subject: t.subject, Text: fmt.Sprintf(t.body, link)}, nil
}
