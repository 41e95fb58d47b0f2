"""Domain exceptions. They carry no HTTP status: compute_api/api/faults.py maps them, in one place.

Every message here is safe to show to the caller; anything else that escapes becomes a
computeFault with a generic message.
"""


class ComputeError(Exception):
    msg = 'An unknown error occurred.'

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        super().__init__(message if message is not None else self.msg % kwargs if kwargs else self.msg)

    @property
    def message(self):
        return self.args[0]


class Invalid(ComputeError):
    msg = 'Unacceptable parameters.'


class ValidationError(Invalid):
    msg = 'Invalid input for field/attribute %(field)s.'


class InvalidInput(Invalid):
    msg = 'Invalid input received: %(reason)s'


class MalformedRequestBody(Invalid):
    msg = 'Malformed request body'


class UnsupportedContentType(Invalid):
    msg = 'Unsupported Content-Type'


class ProjectMismatch(Invalid):
    msg = "Malformed request URL: URL's project_id '%(url)s' doesn't match Context's project_id '%(context)s'"


class InvalidMetadata(Invalid):
    msg = 'Invalid metadata: %(reason)s'


class InvalidMetadataSize(Invalid):
    """A metadata key or value too long (legacy v2 answers 413 for it)."""
    msg = 'Invalid metadata size: %(reason)s'


class LegacyUnprocessable(ComputeError):
    """Legacy v2's 422 for a body without its resource key."""
    msg = 'Unable to process the contained instructions'


class NotFound(ComputeError):
    msg = 'Resource could not be found.'


class InstanceNotFound(NotFound):
    msg = 'Instance %(instance_id)s could not be found.'


class FlavorNotFound(NotFound):
    msg = 'Flavor %(flavor_id)s could not be found.'


class ImageNotFound(NotFound):
    msg = 'Image not found.'


class InvalidMetadataKey(NotFound):
    msg = 'Invalid metadata key'


class KeypairNotFound(NotFound):
    msg = 'Keypair %(name)s not found for user %(user_id)s'


class InstanceGroupNotFound(NotFound):
    msg = 'Instance group %(group_uuid)s could not be found.'


class SecurityGroupNotFound(NotFound):
    msg = 'Security group %(security_group_id)s not found.'


class SecurityGroupNotFoundForProjectName(NotFound):
    """A group named in a server action that the project lacks (404 there; 400 at create)."""
    msg = 'Security group %(security_group_id)s not found for project %(project_id)s.'


class SecurityGroupNotFoundForRule(NotFound):
    msg = 'Security group with rule %(rule_id)s not found.'


class AggregateNotFound(NotFound):
    msg = 'Aggregate %(aggregate_id)s could not be found.'


class AggregateHostNotFound(NotFound):
    msg = 'Aggregate %(aggregate_id)s has no host %(host)s.'


class HostNotFound(NotFound):
    """A compute host named in an admin API (404 there; a server create's forced host is a 400)."""
    msg = 'Compute host %(host)s could not be found.'


class HypervisorNotFound(NotFound):
    msg = "Hypervisor with ID '%(hypervisor_id)s' could not be found."


class NoHypervisorMatch(NotFound):
    msg = "No hypervisor matching '%(pattern)s' could be found."


class FlavorExtraSpecsNotFound(NotFound):
    msg = 'Flavor %(flavor_id)s has no extra specs with key %(extra_specs_key)s.'


class FlavorAccessNotFound(NotFound):
    msg = 'Flavor access not found for %(flavor_id)s / %(project_id)s combination.'


class FlavorAccessListPublic(NotFound):
    msg = 'Access list not available for public flavors.'


class InstanceActionNotFound(NotFound):
    msg = 'Action for request_id %(request_id)s on instance %(instance_uuid)s not found'


class ConsoleNotAvailable(NotFound):
    msg = 'Guest does not have a console available.'


class ConsoleTypeInvalid(Invalid):
    msg = 'Invalid console type %(console_type)s'


class ConsoleTypeUnavailable(Invalid):
    """A console type disabled by configuration, or one this server's guest does not offer."""
    msg = 'Unavailable console type %(console_type)s.'


class ConsoleTokenNotFound(NotFound):
    msg = 'Token not found'


class MetadataItemNotFound(NotFound):
    msg = 'Metadata item was not found'


class NetworkNotMember(NotFound):
    msg = 'Instance is not a member of specified network'


class ExtensionNotFound(NotFound):
    msg = 'Extension %(alias)s could not be found.'


class NoSuchAction(Invalid):
    msg = 'There is no such action: %(action)s'


class ResizeFlavorNotFound(Invalid):
    msg = 'Unable to locate requested flavor.'


class CannotResizeToSameFlavor(Invalid):
    msg = 'Resize requires a flavor change.'


class CannotResizeDisk(Invalid):
    msg = 'Server disk was unable to be resized because: %(reason)s'


class InstanceNotResized(Invalid):
    msg = 'Instance has not been resized.'


class SnapshotsDisabled(Invalid):
    msg = 'Instance snapshots are not permitted at this time.'


class RebuildImageNotFound(Invalid):
    msg = 'Cannot find image for rebuild'


class NoValidHost(Invalid):
    """A migration found no host to go to (nova's API answers 400 for it)."""
    msg = 'No valid host was found. There are not enough hosts available.'


class UnableToMigrateToSelf(Invalid):
    msg = 'Unable to migrate instance (%(instance_id)s) to current host (%(host)s).'


class InvalidImageRef(Invalid):
    msg = 'Invalid imageRef provided.'


class InvalidFlavorRef(Invalid):
    msg = 'Invalid flavorRef provided.'


class ImageNotFoundForBoot(Invalid):
    msg = 'Can not find requested image'


class ImageNotActive(Invalid):
    msg = 'Image %(image_id)s is not active.'


class FlavorDiskTooSmall(Invalid):
    msg = "Flavor's disk is too small for requested image."


class FlavorMemoryTooSmall(Invalid):
    msg = "Flavor's memory is too small for requested image."


class AutoDiskConfigDisabledByImage(Invalid):
    msg = 'Requested image %(image)s has automatic disk resize disabled.'


class InvalidKeypair(Invalid):
    msg = 'Keypair data is invalid: %(reason)s'


class InvalidStrTime(Invalid):
    msg = 'Invalid datetime string: %(reason)s'


class InvalidKeyName(Invalid):
    msg = 'Invalid key_name provided.'


class SecurityGroupNotFoundForProject(Invalid):
    msg = 'Security group %(security_group_id)s not found for project %(project_id)s.'


class InvalidAggregateActionDelete(Invalid):
    msg = 'Cannot remove host from aggregate %(aggregate_id)s. Reason: %(reason)s.'


class SecurityGroupExists(Invalid):
    msg = 'Security group already exists.'


class SecurityGroupExistsForInstance(Invalid):
    msg = 'Security group %(security_group_id)s is already associated with the instance %(instance_id)s'


class SecurityGroupNotExistsForInstance(Invalid):
    msg = 'Security group %(security_group_id)s not associated with the instance %(instance_id)s'


class NetworkNotFound(Invalid):
    """An unknown network in a create request (nova answers 400 there)."""
    msg = 'Network %(network_id)s could not be found.'


class NetworkDuplicated(Invalid):
    msg = 'Network %(network_id)s is duplicated.'


class PortNotFound(Invalid):
    msg = 'Port %(port_id)s could not be found.'


class FixedIpInvalid(Invalid):
    msg = 'Fixed IP address %(address)s is invalid.'


class FixedIpNotFoundForNetwork(Invalid):
    msg = 'Fixed IP address (%(address)s) does not exist in network (%(network_uuid)s).'


class FixedIpAlreadyInUse(Invalid):
    msg = 'Fixed IP address %(address)s is already in use on instance %(instance_uuid)s.'


class NoMoreFixedIps(Invalid):
    msg = 'No fixed IP addresses available for network: %(network)s'


class InstanceUserDataMalformed(Invalid):
    msg = 'Userdata content cannot be decoded'


class InstanceUserDataTooLarge(Invalid):
    msg = ('User data too large. User data must be no larger than %(maxsize)s bytes once base64 '
           'encoded. Your data is %(length)d bytes')


class InvalidConfigDrive(Invalid):
    msg = 'Invalid config_drive provided.'


class AvailabilityZoneNotAvailable(Invalid):
    msg = 'The requested availability zone is not available'


class ComputeHostNotFound(Invalid):
    msg = 'Compute host %(host)s could not be found.'


class InvalidRegex(Invalid):
    msg = 'Invalid regular expression for %(name)s: %(value)s'


class MarkerNotFound(Invalid):
    msg = 'marker [%(marker)s] not found'


class Forbidden(ComputeError):
    msg = 'Forbidden'


class PolicyNotAuthorized(Forbidden):
    msg = "Policy doesn't allow %(action)s to be performed."


class QuotaExceeded(Forbidden):
    """Over quota: 403 with Retry-After: 0, as nova since Juno."""
    msg = 'Quota exceeded'


class TooManyInstances(QuotaExceeded):
    msg = 'Quota exceeded for %(overs)s: Requested %(req)s, but already used %(used)s of %(allowed)s %(overs)s'


class ImageNotAuthorized(Forbidden):
    msg = 'Not authorized for image %(image_id)s.'


class ImageDeleteForbidden(Forbidden):
    msg = 'You are not allowed to delete the image.'


class KeypairLimitExceeded(Forbidden):
    """Too many key pairs: nova's plain 403 (no Retry-After)."""
    msg = 'Quota exceeded, too many key pairs.'


class SecurityGroupLimitExceeded(Forbidden):
    """Too many security groups, or rules in one: nova's plain 403 (no Retry-After)."""
    msg = 'Quota exceeded, too many security groups.'


class ServerGroupLimitExceeded(Forbidden):
    """Too many server groups: nova's plain 403 (no Retry-After)."""
    msg = 'Quota exceeded, too many server groups.'


class ImageMetadataLimitExceeded(Forbidden):
    """Too many image metadata items: nova's plain 403 (no Retry-After)."""
    msg = 'Image metadata limit exceeded'


class MetadataLimitExceeded(QuotaExceeded):
    msg = 'Maximum number of metadata items exceeds %(allowed)d'


class OnsetFileLimitExceeded(QuotaExceeded):
    msg = 'Personality file limit exceeded'


class OnsetFilePathLimitExceeded(QuotaExceeded):
    msg = 'Personality file path too long'


class OnsetFileContentLimitExceeded(QuotaExceeded):
    msg = 'Personality file content too long'


class Unauthorized(ComputeError):
    msg = 'Authentication required'


class Conflict(ComputeError):
    msg = 'Conflict'


class InstanceInvalidState(Conflict):
    msg = "Cannot '%(action)s' instance %(instance_id)s while it is in %(attr)s %(state)s"


class FlavorAccessPublic(Conflict):
    msg = 'Can not add access to a public flavor.'


class InstanceIsLocked(Conflict):
    msg = 'Instance %(instance_id)s is locked'


class InstanceNotReady(Conflict):
    msg = 'Instance %(instance_id)s is not ready'


class InstancePasswordSetFailed(Conflict):
    msg = 'Failed to set admin password on %(instance_id)s because %(reason)s'


class Duplicate(Conflict):
    msg = 'Resource already exists.'


class AggregateNameExists(Duplicate):
    msg = 'Aggregate %(aggregate_name)s already exists.'


class AggregateHostExists(Duplicate):
    msg = 'Aggregate %(aggregate_id)s already has host %(host)s.'


class FlavorExists(Duplicate):
    msg = 'Flavor with name %(name)s already exists.'


class FlavorIdExists(Duplicate):
    msg = 'Flavor with ID %(flavor_id)s already exists.'


class KeyPairExists(Duplicate):
    msg = "Key pair '%(key_name)s' already exists."


class FlavorAccessExists(Duplicate):
    msg = 'Flavor access already exists for flavor %(flavor_id)s and project %(project_id)s combination.'


class NotAcceptable(ComputeError):
    msg = 'Not acceptable.'


class NotImplementedYet(ComputeError):
    msg = 'Not implemented.'


class ServiceUnavailable(ComputeError):
    msg = 'Service unavailable.'


class RateLimited(ComputeError):
    """429 overLimit with a retry delay in seconds."""
    msg = 'This request was rate-limited.'

    def __init__(self, details, retry_after):
        super().__init__(self.msg)
        self.details = details
        self.retry_after = retry_after
