// Deterministic person generator shared by the demo and large seeds.
import type { SeedPerson } from '../marketo';
import { pick } from '../rng';
import { CITIES, COMPANIES, FIRST_NAMES, INDUSTRIES, LAST_NAMES, TITLES, US_STATES } from './names';

export interface GeneratedPerson {
  FirstName: string;
  LastName: string;
  Email: string;
  Title: string;
  Phone: string;
  Company: string;
  City: string;
  State: string;
  Country: string;
  Industry: string;
  mkto71_Lead_Score__c: number;
}

export function domainOf(company: string): string {
  return `${company.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example.com`;
}

function emailPart(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}

export function person(rng: () => number, n: number, company = pick(rng, COMPANIES)): GeneratedPerson {
  const first = pick(rng, FIRST_NAMES);
  const last = pick(rng, LAST_NAMES);
  const [state] = pick(rng, US_STATES);
  return {
    FirstName: first,
    LastName: last,
    Email: `${emailPart(first)}.${emailPart(last)}${n}@${domainOf(company)}`,
    Title: pick(rng, TITLES),
    Phone: `+1 555 ${String(1000 + Math.floor(rng() * 9000))} ${String(100 + Math.floor(rng() * 900))}`,
    Company: company,
    City: pick(rng, CITIES),
    State: state,
    Country: 'United States',
    Industry: pick(rng, INDUSTRIES),
    mkto71_Lead_Score__c: Math.floor(rng() * 100),
  };
}

/** The two-letter code for a full state name (to build records that fail validation). */
export function stateCode(state: string): string {
  return US_STATES.find(([name]) => name === state)?.[1] ?? 'CA';
}

/** A generated person's fields on a Salesforce Lead (each seed adds status, owner and flags). */
export function leadFields(p: GeneratedPerson, state = p.State) {
  const { FirstName, LastName, Email, Title, Phone, Company, City, Country, Industry } = p;
  return {
    FirstName,
    LastName,
    Email,
    Title,
    Phone,
    Company,
    City,
    State: state,
    Country,
    Industry,
    mkto71_Lead_Score__c: p.mkto71_Lead_Score__c,
  };
}

/** The Marketo person linked to a seeded lead, with the lead's values. */
export function linkedLeadPerson(sfId: string, p: GeneratedPerson, state = p.State): SeedPerson {
  return {
    sfId,
    sfType: 'Lead',
    email: p.Email,
    firstName: p.FirstName,
    lastName: p.LastName,
    company: p.Company,
    title: p.Title,
    phone: p.Phone,
    state,
    leadScore: p.mkto71_Lead_Score__c,
  };
}
