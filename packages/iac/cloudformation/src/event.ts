/**
 * The CloudFormation custom-resource request, as CloudFormation sends it to the Lambda
 * (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html).
 * Property values arrive as strings (numbers and booleans are stringified), lists as string lists.
 */
export interface CloudFormationEvent {
  RequestType: "Create" | "Update" | "Delete";
  ServiceToken?: string;
  ResponseURL: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  ResourceType: string;
  /** Absent on Create; present on Update and Delete. */
  PhysicalResourceId?: string;
  ResourceProperties: Record<string, unknown>;
  /** Update only: the properties before the change. */
  OldResourceProperties?: Record<string, unknown>;
}

/** The parts of the Lambda context object this handler uses. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number;
  logStreamName?: string;
  awsRequestId?: string;
}

/** The body PUT to the ResponseURL (crpg-ref-responses.html). */
export interface CloudFormationResponse {
  Status: "SUCCESS" | "FAILED";
  Reason: string;
  PhysicalResourceId: string;
  StackId: string;
  RequestId: string;
  LogicalResourceId: string;
  NoEcho: boolean;
  Data: Record<string, string>;
}
