export interface SupplierSeed {
  name: string;
  contactName: string;
  email: string;
  phone: string;
  address: string;
  leadTimeDays: number;
}

export const SUPPLIERS: SupplierSeed[] = [
  { name: 'Northwind Electronics', contactName: 'Maria Anders', email: 'orders@northwind.example', phone: '+1 555 0101', address: '12 Harbor St, Seattle, WA', leadTimeDays: 7 },
  { name: 'Contoso Networking', contactName: 'Daniel Tonini', email: 'sales@contoso.example', phone: '+1 555 0102', address: '400 Market Ave, Austin, TX', leadTimeDays: 10 },
  { name: 'Fabrikam Office Supply', contactName: 'Ana Trujillo', email: 'ana@fabrikam.example', phone: '+1 555 0103', address: '88 Elm Rd, Denver, CO', leadTimeDays: 4 },
  { name: 'Adventure Works Furniture', contactName: 'Thomas Hardy', email: 'trade@adventureworks.example', phone: '+1 555 0104', address: '9 Mill Ln, Grand Rapids, MI', leadTimeDays: 21 },
  { name: 'Tailspin Kitchenware', contactName: 'Hanna Moos', email: 'hanna@tailspin.example', phone: '+1 555 0105', address: '230 Oak Blvd, Portland, OR', leadTimeDays: 6 },
  { name: 'Wide World Cleaning Co.', contactName: 'Yang Wang', email: 'orders@wideworld.example', phone: '+1 555 0106', address: '71 River Dr, Columbus, OH', leadTimeDays: 3 },
  { name: 'Litware Packaging', contactName: 'Pedro Afonso', email: 'pedro@litware.example', phone: '+1 555 0107', address: '5 Depot Way, Reno, NV', leadTimeDays: 5 },
  { name: 'Proseware Peripherals', contactName: 'Elizabeth Brown', email: 'eb@proseware.example', phone: '+1 555 0108', address: '300 Pine St, San Jose, CA', leadTimeDays: 8 },
  { name: 'Lucerne Coffee Traders', contactName: 'Sven Ottlieb', email: 'sven@lucerne.example', phone: '+1 555 0109', address: '14 Canal St, New Orleans, LA', leadTimeDays: 12 },
  { name: 'Alpine Ski Lighting', contactName: 'Janine Labrune', email: 'janine@alpine.example', phone: '+1 555 0110', address: '2 Summit Rd, Boulder, CO', leadTimeDays: 14 },
];
