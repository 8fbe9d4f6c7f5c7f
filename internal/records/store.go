package records

import (
	"context"
	"time"
)

// The store's services. Two implementations keep them — internal/sqlite
// (the embedded default: one SQLite file) and internal/mongo (any number
// of instances on one MongoDB deployment) — and one contract suite
// (internal/storetest) checks both. Nothing above the store knows which
// one serves. Every method takes the caller from the context (ActorFrom)
// and applies its role and townships: a record of a township the caller
// may not see is NOT_FOUND, as one that does not exist.

// Record is what a stored kind offers a store.
type Record[T any] interface {
	*T
	GetMeta() *Meta
	Validate() error
	Derive(SortKey)
	Refs() []Ref
}

// Collection keeps one kind of record.
type Collection[T any, PT Record[T]] interface {
	// Get returns the record with id, from any township the caller may see.
	Get(ctx context.Context, id string) (PT, error)
	// GetIn returns the records of township t with the given ids that
	// exist, in no particular order. Loaders use it for relations.
	GetIn(ctx context.Context, t string, ids []string) ([]PT, error)
	// FindIn returns the records of township t whose field at path holds
	// one of values (for a list field: any of them), in the kind's
	// default order.
	FindIn(ctx context.Context, t string, path string, values []string) ([]PT, error)
	// FindInWhere is FindIn with a filter the records must match as well.
	FindInWhere(ctx context.Context, t string, path string, values []string, where Expr) ([]PT, error)
	// Find returns one page of a list: keyset-paged by q.Sort then id.
	Find(ctx context.Context, q Query) (*Page[T], error)
	// Count counts the records q selects (First and After ignored).
	Count(ctx context.Context, q Query) (int, error)
	// Group counts the records g selects, by the values at g.Paths.
	Group(ctx context.Context, g Grouping) ([]RawGroup, error)

	// Create validates, stamps and stores a new record (version 1).
	Create(ctx context.Context, x PT) (PT, error)
	// CreateOnce is Create under an idempotency key: a retry with the same
	// key answers the record the first call created.
	CreateOnce(ctx context.Context, key string, x PT) (PT, error)
	// Update applies patch to the record as stored, guarded by its version.
	Update(ctx context.Context, id string, expectedVersion *int, patch func(PT)) (PT, error)
	// Modify is Update with a change that may refuse.
	Modify(ctx context.Context, id string, expectedVersion *int, change func(PT) error) (PT, error)
	// Delete removes a record no other record points at; its last version
	// stays in the history, for Restore.
	Delete(ctx context.Context, id string, expectedVersion *int) (PT, error)
	// Bulk creates many records of one township at once (imports, seeds);
	// it answers how many it created.
	Bulk(ctx context.Context, xs []PT) (int, error)

	// History lists a record's versions, newest first.
	History(ctx context.Context, id string) ([]*AuditEntry, error)
	// Revert stores version v of a record again, as a new version.
	Revert(ctx context.Context, id string, v int, expectedVersion *int) (PT, error)
	// Deleted lists the deleted records of township t ("" for all the
	// caller may see), newest first.
	Deleted(ctx context.Context, t string, first int) ([]*AuditEntry, error)
	// Restore brings a deleted record back, as a new version.
	Restore(ctx context.Context, id string) (PT, error)
}

// MaxReportVersions is how many versions of an uploaded plugin are kept
// in each scope (the county, or one set of townships).
const MaxReportVersions = 50

// ReportVersions keeps the report plugins uploaded through the API, every
// version of each. Versions of a plugin share one sequence of numbers;
// each carries its scope, the townships of the actor who saved it (nil
// for a county-level actor). The store applies no other rule: which
// version a caller renders is report.Registry's.
type ReportVersions interface {
	// Save stores files as the next version of id, scoped to the
	// townships of the actor in ctx; the newest MaxReportVersions of
	// that scope are kept.
	Save(ctx context.Context, id string, files []ReportFile, note string) (*ReportVersion, error)
	// Latest is the newest version of id, of any scope.
	Latest(ctx context.Context, id string) (*ReportVersion, error)
	Get(ctx context.Context, id string, n int) (*ReportVersion, error)
	// List is every version of id, newest first.
	List(ctx context.Context, id string) ([]*ReportVersion, error)
	// Heads is the newest version of id in each scope it was saved in,
	// newest first.
	Heads(ctx context.Context, id string) ([]*ReportVersion, error)
	// LatestAll is the newest version of every plugin in each scope.
	LatestAll(ctx context.Context) ([]*ReportVersion, error)
}

// Credentials keeps accounts, sessions and API keys. These are county
// data, read before a caller is known: the methods apply no scope.
type Credentials interface {
	Count(ctx context.Context) (int, error)
	CreateAccount(ctx context.Context, a *Account) error
	Account(ctx context.Context, id string) (*Account, error)
	Accounts(ctx context.Context) ([]*Account, error)
	UpdateAccount(ctx context.Context, id string, change func(*Account) error) (*Account, error)
	CreateSession(ctx context.Context, x *Session) error
	Session(ctx context.Context, id string) (*Session, error)
	// TouchSession records that the session with id was used at.
	TouchSession(ctx context.Context, id string, at time.Time) error
	DeleteSession(ctx context.Context, id string) error
	DeleteSessions(ctx context.Context, accountID string) error
	CreateKey(ctx context.Context, k *APIKey) error
	Key(ctx context.Context, id string) (*APIKey, error)
	Keys(ctx context.Context) ([]*APIKey, error)
	RevokeKey(ctx context.Context, id string) (*APIKey, error)
	TouchKey(ctx context.Context, id string, at time.Time) error
}

// AttributeDefs keeps the attributes a township defines for a kind.
type AttributeDefs interface {
	Get(ctx context.Context, t string, kind Kind) (*AttributeSet, error)
	Put(ctx context.Context, t string, kind Kind, def AttributeDef) (*AttributeDef, error)
	Remove(ctx context.Context, t string, kind Kind, path string) (*AttributeDef, error)
}

// Database is what a store answers beyond one kind of record.
type Database interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// Close releases the store.
	Close(ctx context.Context) error
	// ResolveTownships turns the townships a request asks for (nil: all
	// the caller may see) into the ones it covers; an unknown or hidden
	// one is NOT_FOUND on its field.
	ResolveTownships(ctx context.Context, asked []string) ([]string, error)
	// CheckTownships answers NOT_FOUND on field for an id that names no
	// township the caller may see.
	CheckTownships(ctx context.Context, ids []string, field string) error
	// KindOf is the kind of the record with id (NOT_FOUND if none the
	// caller may see, deleted ones included).
	KindOf(ctx context.Context, id string) (Kind, error)
	// AuditLog pages through the audit trail, newest first.
	AuditLog(ctx context.Context, f AuditFilter, first int, after string) ([]*AuditEntry, string, error)
	// Audit records a change made outside the collections (accounts, keys,
	// plugins, sign-ins).
	Audit(ctx context.Context, e AuditEntry)
	// VerifyAudit walks the audit trail's hash chain and names its first
	// broken link (see VerifyChain); for county-level auditors and admins.
	// noted is a head printed by an earlier verification (nil: none).
	VerifyAudit(ctx context.Context, noted *ChainHead) (*AuditCheck, error)
	// AttributeTypes gives, per township, the attributes defined for kind.
	AttributeTypes(ctx context.Context, kind Kind, asked []string) (map[string]map[string]*AttributeDef, error)
	// Marked and Mark keep one-time markers (the demo loaded).
	Marked(ctx context.Context, key string) (bool, error)
	Mark(ctx context.Context, key string) error
	// InTx runs f with the writes it makes through the store in one
	// transaction where the store has them (SQLite: all are stored, or,
	// f failing, none), and one after another where it has not (MongoDB:
	// each write is atomic on its own record).
	InTx(ctx context.Context, f func(ctx context.Context) error) error
}

// Store is one renda deployment's records and services, whichever
// database keeps them.
type Store struct {
	Database

	Townships   Collection[Township, *Township]
	Deputies    Collection[Deputy, *Deputy]
	Villages    Collection[Village, *Village]
	Projects    Collection[Project, *Project]
	Inspections Collection[Inspection, *Inspection]
	Activities  Collection[Activity, *Activity]
	Suggestions Collection[Suggestion, *Suggestion]
	Receptions  Collection[Reception, *Reception]
	PointRules  Collection[PointRules, *PointRules]
	Submissions Collection[DutySubmission, *DutySubmission]

	Sessions           Collection[CongressSession, *CongressSession]
	PresidiumMeetings  Collection[PresidiumMeeting, *PresidiumMeeting]
	LivelihoodProjects Collection[LivelihoodProject, *LivelihoodProject]

	Reports     ReportVersions
	Credentials Credentials
	Attributes  AttributeDefs
}

// Sink receives a deployment's data as stored — records with their ids,
// versions and stamps, the audit trail, credentials with their secrets'
// hashes, uploaded plugins, attribute definitions, markers and
// idempotency claims — to move it from one store into another. A sink
// keeps what it holds already (a move can run again and finish one that
// stopped).
type Sink interface {
	Record(kind Kind, x any) error // x is a *Township, *Deputy …
	Audit(e *AuditEntry) error
	Account(a *Account) error
	Session(x *Session) error
	Key(k *APIKey) error
	ReportVersion(v *ReportVersion) error
	AttributeSet(s *AttributeSet) error
	Marker(key string, at time.Time) error
	Idempotency(id, recordID string, at time.Time) error
}

// RecordKinds are the kinds of record, townships first (the others point
// at them).
var RecordKinds = []Kind{KindTownship, KindVillage, KindDeputy, KindProject, KindInspection, KindActivity, KindSuggestion,
	KindReception, KindPointRules, KindCongressSession, KindPresidiumMeeting, KindLivelihoodProject, KindSubmission}

// NewRecord returns a new zero record of kind (a *Deputy for
// KindDeputy), nil for no kind.
func NewRecord(kind Kind) any {
	switch kind {
	case KindTownship:
		return &Township{}
	case KindDeputy:
		return &Deputy{}
	case KindVillage:
		return &Village{}
	case KindProject:
		return &Project{}
	case KindInspection:
		return &Inspection{}
	case KindActivity:
		return &Activity{}
	case KindSuggestion:
		return &Suggestion{}
	case KindReception:
		return &Reception{}
	case KindPointRules:
		return &PointRules{}
	case KindCongressSession:
		return &CongressSession{}
	case KindPresidiumMeeting:
		return &PresidiumMeeting{}
	case KindLivelihoodProject:
		return &LivelihoodProject{}
	case KindSubmission:
		return &DutySubmission{}
	}
	return nil
}
