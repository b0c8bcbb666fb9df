export const name = '0018-audit-sealing'

/**
 * Audit without a lock on the request path (ADR 0009). A request inserts its event with no chain work: `seq`,
 * `prev_hash` and `hash` stay empty until the sealer links the event into the chain, in the order it seals them
 * (`seq` 1, 2, 3, ...), which is the chain's order from now on. Events already chained keep their hashes and take
 * their place in id order, so an existing chain still verifies.
 *
 * The append-only trigger now allows exactly one change to an event: sealing it once, leaving every recorded field
 * as it was. Checkpoints of the chain's head (seq and hash, with a keyed MAC) are kept in `audit_checkpoint` (append-only
 * too, but for marking one verified, itself signed) and, outside the database, in the checkpoint file, so deleting
 * the newest events is detected.
 *
 * The check on `action` becomes a check of its form: the list of actions is the service's (auditActions), and grows
 * with its features without a migration each time.
 */
export const statements: readonly string[] = [
  `alter table audit_event add column seq bigint`,
  `alter table audit_event alter column prev_hash drop not null`,
  `alter table audit_event alter column hash drop not null`,
  `alter table audit_event disable trigger audit_event_no_update`,
  `update audit_event set seq = ordered.n
     from (select id, row_number() over (order by id) as n from audit_event) as ordered
    where audit_event.id = ordered.id`,
  `alter table audit_event enable trigger audit_event_no_update`,
  `create unique index audit_event_seq_key on audit_event (seq)`,
  `create index audit_event_unsealed_idx on audit_event (id) where seq is null`,
  `alter table audit_event add constraint audit_event_sealed_whole
     check ((seq is null and prev_hash is null and hash is null)
         or (seq is not null and prev_hash is not null and hash is not null))`,
  `alter table audit_event drop constraint audit_event_action_check`,
  `alter table audit_event add constraint audit_event_action_form check (action ~ '^[a-z][a-z-]{1,39}$')`,
  `create or replace function audit_event_is_append_only() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE'
       and old.seq is null and new.seq is not null
       and new.id = old.id
       and new.occurred_at = old.occurred_at
       and new.actor_id is not distinct from old.actor_id
       and new.actor_role is not distinct from old.actor_role
       and new.action = old.action
       and new.entity_type = old.entity_type
       and new.entity_id is not distinct from old.entity_id
       and new.person_id is not distinct from old.person_id
       and new.site_id is not distinct from old.site_id
       and new.request_id is not distinct from old.request_id
       and new.details = old.details then
      return new;
    end if;
    raise exception 'audit events are append-only';
  end
  $$`,
  `create table audit_checkpoint (
    seq bigint primary key check (seq > 0),
    head_hash text not null,
    created_at timestamptz not null,
    mac text not null,
    verified_at timestamptz,
    verified_mac text,
    check ((verified_at is null) = (verified_mac is null))
  )`,
  `create function audit_checkpoint_is_append_only() returns trigger language plpgsql as $$
  begin
    if tg_op = 'UPDATE'
       and old.verified_at is null and new.verified_at is not null
       and new.seq = old.seq and new.head_hash = old.head_hash
       and new.created_at = old.created_at and new.mac = old.mac then
      return new;
    end if;
    raise exception 'audit checkpoints are append-only';
  end
  $$`,
  `create trigger audit_checkpoint_no_change before update or delete on audit_checkpoint
    for each row execute function audit_checkpoint_is_append_only()`,
  `create trigger audit_checkpoint_no_truncate before truncate on audit_checkpoint
    for each statement execute function audit_checkpoint_is_append_only()`,
]
