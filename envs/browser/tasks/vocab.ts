/**
 * Word lists the tasks draw from (written for this project).
 * @module
 */

export const WORDS = (
  'apple amber anchor arrow autumn badge basket beacon berry blossom bramble breeze bridge cactus candle canyon carbon cedar ' +
  'cherry cinder clover cobalt comet copper coral cotton crystal daisy delta desert dune echo ember falcon feather fern ' +
  'flint forest garnet glacier granite harbor hazel heron honey indigo iris island ivory jasper juniper kettle lagoon ' +
  'lantern lemon lily linen lotus maple marble meadow mint mosaic nectar nutmeg oasis olive onyx orbit orchid otter ' +
  'paddle pebble pepper pine planet plum poppy prairie quartz quill raven reef ribbon river robin saffron sage salmon ' +
  'sapphire shadow silver sparrow spruce summit sunset thistle thunder tiger topaz tulip tundra velvet violet walnut willow'
).split(' ');

export const FIRST_NAMES = (
  'Ada Alan Alma Anton Bea Bruno Carla Cyril Dana Dmitri Edith Elias Fatima Felix Greta Hugo Ines Ivan Jana Jonas ' +
  'Kira Lars Lena Luca Maya Milo Nadia Nils Olga Omar Paula Pedro Rosa Rui Sara Soren Tara Theo Uma Viktor Wren Yara Zane'
).split(' ');

export const LAST_NAMES = (
  'Abbott Baker Castro Dalton Ellis Fischer Garcia Hoffman Ibsen Jensen Keller Lindqvist Moreau Novak Okafor Petrov ' +
  'Quinn Rossi Sato Tanaka Ueda Vargas Weber Xu Young Zimmer'
).split(' ');

export const USERNAMES = (
  'ada_k bruno77 carla.m dmitri edith_r felixh greta hugo_b ines22 jonas_w kira lena.v luca_p maya milo_x nadia ' +
  'omar_s paula rosa_t sara_j theo uma_d viktor wren yara zane_q'
).split(' ');

export const COUNTRIES = (
  'Albania Algeria Andorra Angola Argentina Armenia Australia Austria Bahamas Bahrain Bangladesh Belarus Belgium Belize Benin ' +
  'Bolivia Botswana Brazil Bulgaria Burundi Cambodia Cameroon Canada Chad Chile China Colombia Comoros Croatia Cuba Cyprus ' +
  'Denmark Djibouti Dominica Ecuador Egypt Eritrea Estonia Ethiopia Fiji Finland France Gabon Gambia Georgia Germany Ghana ' +
  'Greece Grenada Guatemala Guinea Guyana Haiti Honduras Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy ' +
  'Jamaica Japan Jordan Kenya Kiribati Kuwait Laos Latvia Lebanon Lesotho Liberia Libya Lithuania Luxembourg Madagascar ' +
  'Malawi Malaysia Maldives Mali Malta Mauritania Mauritius Mexico Moldova Monaco Mongolia Montenegro Morocco Mozambique ' +
  'Namibia Nauru Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palau Panama Paraguay Peru Poland Portugal ' +
  'Qatar Romania Russia Rwanda Samoa Senegal Serbia Seychelles Singapore Slovakia Slovenia Somalia Spain Sudan Suriname ' +
  'Sweden Switzerland Syria Tajikistan Tanzania Thailand Togo Tonga Tunisia Turkey Tuvalu Uganda Ukraine Uruguay Uzbekistan ' +
  'Vanuatu Venezuela Vietnam Yemen Zambia Zimbabwe'
).split(' ');

export const CITIES = [
  'Amsterdam', 'Athens', 'Austin', 'Berlin', 'Boston', 'Cairo', 'Chicago', 'Denver', 'Dublin', 'Helsinki', 'Houston', 'Lima',
  'Lisbon', 'London', 'Madrid', 'Miami', 'Montreal', 'Nairobi', 'Oslo', 'Paris', 'Phoenix', 'Prague', 'Quito', 'Rome',
  'Seattle', 'Seoul', 'Sydney', 'Tokyo', 'Toronto', 'Vienna', 'Warsaw', 'Zurich',
];

export const FOLDERS = ['docs', 'src', 'images', 'music', 'notes', 'backup', 'projects', 'photos', 'reports', 'drafts', 'archive', 'tmp'];
export const EXTENSIONS = ['txt', 'md', 'png', 'pdf', 'csv', 'json', 'mp3', 'log'];

export const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Days in a month (1-based month) of a year. */
export function daysIn(year: number, month: number): number {
  return [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}

export function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** MM/DD/YYYY (what goals say). */
export function usDate(y: number, m: number, d: number): string {
  return `${pad2(m)}/${pad2(d)}/${y}`;
}

/** YYYY-MM-DD (what date inputs take). */
export function isoDate(y: number, m: number, d: number): string {
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export const SENTENCES = [
  'the meeting moved to thursday',
  'please review the attached notes',
  'lunch is on me this week',
  'the build is green again',
  'see you at the station',
  'thanks for the quick reply',
  'can we talk tomorrow morning',
  'the package arrived today',
  'remember to water the plants',
  'the report is due on friday',
  'i left my keys at the office',
  'the garden looks lovely now',
];
