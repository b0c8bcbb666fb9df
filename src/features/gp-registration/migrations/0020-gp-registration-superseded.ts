export const name = '0020-gp-registration-superseded'

/**
 * Which GP registration row is a person's latest is kept on the row (`superseded` once a later one exists), so the
 * worklist's "GP registrations in progress" reads the few current in-progress rows from a partial index instead of
 * every in-progress row ever recorded, each checked for a later one (at national scale: 985 current rows of 17,980
 * at one site). A statement-level trigger keeps it, whoever inserts (the service, COPY, a later import): after each
 * insert, every row of the people inserted for that has a later row (by recorded time, then id, the order "latest"
 * uses everywhere) is marked superseded, set-based, so a bulk load costs one update.
 */
export const statements: readonly string[] = [
  `alter table gp_registration add column superseded boolean not null default false`,
  `update gp_registration g set superseded = true
   where exists (
     select 1 from gp_registration newer
     where newer.person_id = g.person_id and (newer.recorded_at, newer.id) > (g.recorded_at, g.id)
   )`,
  `create function gp_registration_mark_superseded() returns trigger language plpgsql as $$
   begin
     update gp_registration g set superseded = true
     where not g.superseded
       and g.person_id in (select person_id from inserted)
       and exists (
         select 1 from gp_registration newer
         where newer.person_id = g.person_id and (newer.recorded_at, newer.id) > (g.recorded_at, g.id)
       );
     return null;
   end
   $$`,
  `create trigger gp_registration_superseded after insert on gp_registration
   referencing new table as inserted for each statement execute function gp_registration_mark_superseded()`,
  `create index gp_registration_current_in_progress_idx on gp_registration (person_id)
   where status = 'in-progress' and not superseded`,
  `create index gp_registration_current_in_progress_recorder_idx on gp_registration (recorded_by)
   where status = 'in-progress' and not superseded`,
  `drop index gp_registration_in_progress_idx`,
  // Most rows are superseded and most current rows are not in progress: without statistics on the two together the
  // planner takes the product of their shares and expects ten times the rows the index holds.
  `create statistics gp_registration_status_superseded_stats (mcv) on status, superseded from gp_registration`,
]
