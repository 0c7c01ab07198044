// Pulse surveys: the GraphQL documents. No document reads an individual answer: there is none
// to read (a side's comments come as bare text, sorted, without author, time or scores).

import { graphql } from '../graphql.js';

export const PULSE_QUERY = graphql`query PortalPulse($id: ID!) {
  partnership(id: $id) {
    id
    pulse(last: 12) {
      minRespondents
      activeCadence { id everyDays nextRoundAt }
      cadences { id number everyDays status version note awaitingYourDecision ownerParty { id label isOwn organization { name } } }
      rounds {
        id number isOpen question answeredByMe opensAt closesAt
        results {
          ratingParty { id label isOwn } ratedParty { id label isOwn }
          shown members respondents responseRate nps transparency consistency interaction comments
        }
      }
    }
  }
}`;

export const PROPOSE_CADENCE = graphql`mutation PortalProposePulseCadence($input: ProposePulseCadenceInput!) {
  proposePulseCadence(input: $input) { cadence { id number everyDays } userErrors { field code message } }
}`;

export const DECIDE_CADENCE = graphql`mutation PortalDecidePulseCadence($input: DecidePulseCadenceInput!) {
  decidePulseCadence(input: $input) { cadence { id status } userErrors { field code message } }
}`;

export const ANSWER_SURVEY = graphql`mutation PortalAnswerPulseSurvey($input: AnswerPulseSurveyInput!) {
  answerPulseSurvey(input: $input) { round { id number answeredByMe } userErrors { field code message } }
}`;

export const RELEVANT = new Set(['PulseRound', 'PulseCadence']);
