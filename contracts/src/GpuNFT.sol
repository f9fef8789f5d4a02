// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title GPU NFT: the digital twin of one physical, certified GPU
/// @notice The holder at the end of an epoch earns that GPU's rewards. The metadata of the
///         Berkeley Compute docs lives on chain; tokenURI points at the same data as JSON, served by
///         the marketplace. Re-certification updates the certificate hash.
contract GpuNFT is ERC721, AccessControl {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    struct Metadata {
        string model;
        string serialNumber;
        uint64 purchaseDate;
        uint64 inServiceDate;
        string hostingAgreementUrl;
        string ownershipContractUrl;
        bytes32 certificateHash;
    }

    mapping(uint256 => Metadata) private metadataOf;
    string private baseTokenURI;

    event CertificateUpdated(uint256 indexed tokenId, bytes32 certificateHash);

    error UnknownToken(uint256 tokenId);
    error MissingCertificate();

    constructor(address admin, string memory baseURI) ERC721("Berkeley Compute GPU", "BCGPU") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(MINTER_ROLE, admin);
        baseTokenURI = baseURI;
    }

    function mint(
        address to,
        uint256 tokenId,
        string calldata model,
        string calldata serialNumber,
        uint64 purchaseDate,
        uint64 inServiceDate,
        string calldata hostingAgreementUrl,
        string calldata ownershipContractUrl,
        bytes32 certificateHash
    ) external onlyRole(MINTER_ROLE) {
        if (certificateHash == bytes32(0)) revert MissingCertificate();
        metadataOf[tokenId] = Metadata(
            model, serialNumber, purchaseDate, inServiceDate, hostingAgreementUrl, ownershipContractUrl, certificateHash
        );
        _safeMint(to, tokenId);
    }

    function metadata(uint256 tokenId)
        external
        view
        returns (
            string memory model,
            string memory serialNumber,
            uint64 purchaseDate,
            uint64 inServiceDate,
            string memory hostingAgreementUrl,
            string memory ownershipContractUrl,
            bytes32 certificateHash
        )
    {
        if (_ownerOf(tokenId) == address(0)) revert UnknownToken(tokenId);
        Metadata storage m = metadataOf[tokenId];
        return (m.model, m.serialNumber, m.purchaseDate, m.inServiceDate, m.hostingAgreementUrl,
            m.ownershipContractUrl, m.certificateHash);
    }

    function setCertificate(uint256 tokenId, bytes32 certificateHash) external onlyRole(MINTER_ROLE) {
        if (_ownerOf(tokenId) == address(0)) revert UnknownToken(tokenId);
        if (certificateHash == bytes32(0)) revert MissingCertificate();
        metadataOf[tokenId].certificateHash = certificateHash;
        emit CertificateUpdated(tokenId, certificateHash);
    }

    /// @notice Retires a GPU: the token is burned by the marketplace when the GPU leaves service.
    function burn(uint256 tokenId) external onlyRole(MINTER_ROLE) {
        _burn(tokenId);
        delete metadataOf[tokenId];
    }

    function exists(uint256 tokenId) external view returns (bool) {
        return _ownerOf(tokenId) != address(0);
    }

    function setBaseURI(string calldata baseURI) external onlyRole(DEFAULT_ADMIN_ROLE) {
        baseTokenURI = baseURI;
    }

    function _baseURI() internal view override returns (string memory) {
        return baseTokenURI;
    }

    function supportsInterface(bytes4 interfaceId) public view override(ERC721, AccessControl) returns (bool) {
        return super.supportsInterface(interfaceId);
    }
}
