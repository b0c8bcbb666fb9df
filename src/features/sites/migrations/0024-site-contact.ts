export const name = '0024-site-contact'

/**
 * Where a site is and how to reach it, for what people are told (an appointment reminder by text says "at 12 High
 * Street, Cambridge CB1 1AA. To change it call 01223 000000"). All optional, so existing sites stay valid until an
 * operator sets them. The service stores them normalised (trimmed, postcode upper case with one space, phone as
 * digits and single spaces starting 0); the checks keep the table that way, and an address has a first line and a
 * town or nothing at all.
 */
export const statements: readonly string[] = [
  `alter table site add column address_line1 text
    check (address_line1 is null or (length(address_line1) between 1 and 100 and address_line1 = btrim(address_line1)))`,
  `alter table site add column address_line2 text
    check (address_line2 is null or (length(address_line2) between 1 and 100 and address_line2 = btrim(address_line2)))`,
  `alter table site add column town text
    check (town is null or (length(town) between 1 and 60 and town = btrim(town)))`,
  `alter table site add column postcode text
    check (postcode is null or postcode ~ '^[A-Z0-9]{2,4} [0-9][A-Z]{2}$')`,
  `alter table site add column phone text
    check (phone is null or (length(phone) <= 20 and phone ~ '^0[0-9]+( [0-9]+)*$'))`,
  `alter table site add constraint site_address_complete_check check (
    (address_line1 is null) = (town is null)
    and (address_line1 is not null or (address_line2 is null and postcode is null))
  )`,
]
