// The user saml-idp signs in and the attributes it asserts (names as real IdPs send them: short names and claim URIs).
const email = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';

module.exports = {
  user: {
    userName: 'saml.jackson',
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    firstName: 'Saml',
    lastName: 'Jackson',
    [email]: 'saml.jackson@example.com',
  },
  metadata: [
    { id: 'firstName', optional: false, displayName: 'First Name', description: 'The given name of the user', multiValue: false },
    { id: 'lastName', optional: false, displayName: 'Last Name', description: 'The surname of the user', multiValue: false },
    { id: email, optional: false, displayName: 'E-Mail Address', description: 'The e-mail address of the user', multiValue: false },
  ],
};
