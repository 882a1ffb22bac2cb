// aws-sdk v2 as a page loads it before amazon-cognito-js, which finds the SDK on the global AWS (as its script tag would).
import AWS from 'aws-sdk';

globalThis.AWS = AWS;
