/** What the sites feature says when a site or its contact details are refused (GOV.UK error wording). */
export const siteMessages = {
  codeFormat:
    'Site code must be 2 to 40 lowercase letters, numbers and hyphens, starting with a letter, like cambridge or north-tees',
  codeTaken: (code: string) => `A site with the code ${code} already exists`,
  nameMissing: 'Enter the site’s name, like Cambridge Health Hub',
  nameTooLong: 'Site name must be 100 characters or fewer',
  regionMissing: 'Enter the site’s region, like East of England',
  regionTooLong: 'Region must be 100 characters or fewer',
  addressLine1Missing: 'Enter the first line of the site’s address, like 12 High Street',
  addressLine1TooLong: 'Address line 1 must be 100 characters or fewer',
  addressLine2TooLong: 'Address line 2 must be 100 characters or fewer',
  townMissing: 'Enter the town or city of the site’s address, like Cambridge',
  townTooLong: 'Town or city must be 60 characters or fewer',
  postcodeInvalid: 'Enter a full UK postcode, like CB1 1AA',
  phoneInvalid: 'Enter a UK phone number of 10 or 11 digits starting 0 (or +44), like 01632 960000 or 07700 900000',
  notFound: (code: string) => `No site has the code "${code}"`,
} as const
