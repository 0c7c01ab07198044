// Fragments shared by several domains' documents (see graphql.js).

import { graphql } from './graphql.js';

export const PARTY = graphql`fragment PortalParty on Party { id label isOwn organization { name } }`;
