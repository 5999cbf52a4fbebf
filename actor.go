package isms

import "context"

// Actor is who is acting: a logged-in user or an API token's owner.
type Actor struct {
	UserID    int64
	Name      string
	Email     string
	SiteAdmin bool
}

type actorKey struct{}

// WithActor returns a context that carries the actor.
func WithActor(ctx context.Context, a *Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in the context, or nil.
func ActorFrom(ctx context.Context) *Actor {
	a, _ := ctx.Value(actorKey{}).(*Actor)
	return a
}
