export const name = '0030-custody-episode-site'

/**
 * Each custody episode carries its person's site, so the worklist's custody sections read one site's releases from
 * an index instead of joining every person at the site (at national scale some 60,000 people a site, for a few
 * thousand releases: 40 to 120 ms a section). Triggers keep it, whoever writes: an episode takes its person's site
 * when it is added (the service, COPY, a later import), and moving a person to another site moves their episodes.
 * The episode's own history and version do not change: the site is the person's, not a fact about the episode.
 * Two narrower indexes serve the other custody sections (below).
 */
export const statements: readonly string[] = [
  `alter table custody_episode add column site_id uuid references site (id)`,
  `update custody_episode e set site_id = p.site_id from person p where p.id = e.person_id`,
  `alter table custody_episode alter column site_id set not null`,
  `create function custody_episode_take_person_site() returns trigger language plpgsql as $$
   begin
     select p.site_id into new.site_id from person p where p.id = new.person_id;
     return new;
   end
   $$`,
  `create trigger custody_episode_person_site before insert or update of person_id, site_id on custody_episode
   for each row execute function custody_episode_take_person_site()`,
  `create function person_site_to_custody_episodes() returns trigger language plpgsql as $$
   begin
     update custody_episode set site_id = new.site_id where person_id = new.id;
     return null;
   end
   $$`,
  `create trigger person_site_to_custody_episodes after update of site_id on person
   for each row when (old.site_id is distinct from new.site_id) execute function person_site_to_custody_episodes()`,
  // "Releases in the next 14 days" (by release, actual else expected) and the sections of people released (by the
  // actual release), each for the episodes not ended by a recall.
  `create index custody_episode_site_release_idx on custody_episode
   (site_id, (coalesce(actual_release_date, expected_release_date))) where recalled_on is null`,
  `create index custody_episode_site_released_idx on custody_episode (site_id, actual_release_date)
   where recalled_on is null and actual_release_date is not null`,
  // Opioid substitution on release, for the worklist's gaps: the medicines items that say so, with what the gap rule
  // reads, so the section reads this index alone (at national scale some 15,000 items over 10,000 table pages).
  `create index release_plan_item_ost_idx on release_plan_item (episode_id)
   include (id, status, days_supplied, prescriber_appointment_on)
   where kind = 'medicines' and opioid_substitution and status <> 'not-applicable'`,
  // "Released and not seen by the hub since": whether a person has an attended appointment from a day on, answered
  // from this index alone rather than every appointment of theirs since that day, each read from the table.
  `create index appointment_person_attended_idx on appointment (person_id, starts_at)
   where outcome in ('ATTC', 'AFTC', 'ATSH', 'ATSS')`,
]
