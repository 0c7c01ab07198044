// Members: the GraphQL documents.

import { graphql } from '../graphql.js';

export const MEMBERS_QUERY = graphql`query PortalMembers($id: ID!) {
  partnership(id: $id) {
    id viewerCanManageMembers
    members(first: 100) {
      totalCount
      nodes { id role user { email displayName } party { id label isOwn } }
    }
  }
}`;

export const ADD_MEMBER = graphql`mutation PortalAddMember($input: AddWorkspaceMemberInput!) {
  addWorkspaceMember(input: $input) { member { id role user { email displayName } } userErrors { field code message } }
}`;

export const CHANGE_ROLE = graphql`mutation PortalChangeRole($input: ChangeWorkspaceMemberRoleInput!) {
  changeWorkspaceMemberRole(input: $input) { member { id role } userErrors { field code message } }
}`;

export const REMOVE_MEMBER = graphql`mutation PortalRemoveMember($input: RemoveWorkspaceMemberInput!) {
  removeWorkspaceMember(input: $input) { removedMemberId userErrors { field code message } }
}`;
